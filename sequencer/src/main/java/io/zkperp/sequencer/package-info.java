/**
 * The zkperp sequencer: signed-order intake, one deterministic core thread that matches orders on
 * per-market books, and a journal that makes every acknowledged command durable.
 *
 * <p>Subpackages: {@code command} (the commands and their binary encoding), {@code book} (the order
 * books: optimised and naive reference behind one interface), {@code core} (the single-threaded
 * state machine), {@code journal} (group-commit journal, snapshots, recovery) and {@code pipeline}
 * (the Disruptor pipeline: parallel decode and signature check, then the core, then the journal).
 * Prices and sizes are integers everywhere.
 */
package io.zkperp.sequencer;
