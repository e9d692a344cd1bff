package io.zkperp.sequencer.journal;

/**
 * How far the journal may be released, beyond what snapshots cover: a settling node keeps every
 * journal record until the L1 batch that contains it is final, so that a batch can be rebuilt,
 * re-proven or re-submitted from the journal until then. The {@link Snapshotter} releases a segment
 * only when the oldest kept snapshot covers it <b>and</b> every record in it is at or before {@link
 * #releasableJournalSeq}; a segment the gate holds is released after a later snapshot, once the
 * gate allows it.
 */
@FunctionalInterface
public interface SegmentReleaseGate {
  /** No limit beyond the snapshots (a node that does not settle to L1, such as the demo node). */
  SegmentReleaseGate UNLIMITED = () -> Long.MAX_VALUE;

  /**
   * The highest journal sequence whose record may leave the journal: every record up to it is in a
   * batch that is final on L1 (or needs nothing from the journal any more). Called on the snapshot
   * writer thread after each snapshot; must be quick, must not throw, and must never go backwards.
   *
   * @return the sequence, 0 to hold everything, {@link Long#MAX_VALUE} for no limit
   */
  long releasableJournalSeq();
}
