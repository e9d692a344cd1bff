/**
 * The intake pipeline on an LMAX Disruptor ring: N intake threads decode and verify signatures in
 * parallel (each takes the sequences {@code seq mod N == i}), then the single core thread applies
 * commands, then the journal thread appends accepted commands, fsyncs once per batch (group
 * commit), and only then hands results and events to the {@link
 * io.zkperp.sequencer.pipeline.SequencerOutput}.
 */
package io.zkperp.sequencer.pipeline;
