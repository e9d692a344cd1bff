/**
 * The deterministic core: {@link io.zkperp.sequencer.core.SequencerCore} applies commands one at a
 * time on one thread (risk pre-check → match → settle), keeps positions and nonce slots, emits
 * events to a {@link io.zkperp.sequencer.core.CoreListener}, and serialises its state canonically
 * for snapshots and the state hash. Everything here is confined to the core thread.
 */
package io.zkperp.sequencer.core;
