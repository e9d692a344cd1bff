/**
 * The commands the core applies, as immutable records, and their compact binary encoding ({@link
 * io.zkperp.sequencer.command.CommandCodec}) used by the journal and the intake pipeline. Time
 * arrives only inside commands ({@link io.zkperp.sequencer.command.Tick}, {@link
 * io.zkperp.sequencer.command.OraclePrice}); the core never reads a clock.
 */
package io.zkperp.sequencer.command;
