package io.zkperp.gateway.node;

import io.zkperp.sequencer.journal.JournalSegments;
import java.nio.file.Path;

/**
 * How the node keeps its journal and snapshots ({@link NodeOptions#durability}). Immutable; any
 * thread.
 *
 * @param journalSegmentBytes the journal rotates to a new segment file once the current one has
 *     reached this size, {@value JournalSegments#MIN_SEGMENT_BYTES} bytes to 1 GiB (default {@link
 *     #DEFAULT_SEGMENT_MIB} MiB)
 * @param snapshotEveryRecords a snapshot after every record whose sequence number is a multiple of
 *     this; 0 = not by count (default {@value #DEFAULT_SNAPSHOT_EVERY_RECORDS})
 * @param snapshotEverySeconds a snapshot after the first record this long after the previous
 *     request; 0 = not by time (default {@value #DEFAULT_SNAPSHOT_EVERY_SECONDS})
 * @param snapshotsKept how many snapshots to keep, ≥ 1 (default {@value #DEFAULT_SNAPSHOTS_KEPT});
 *     journal segments are released once the oldest kept snapshot covers them, so up to {@code
 *     snapshotsKept − 1} damaged newest snapshots still fall back to an older one with its journal
 *     tail
 * @param journalArchiveDir where released journal segments are moved, or null to delete them
 *     (default null)
 * @param snapshotReplica whether snapshots are taken by a replica of the core and the read model
 *     that follows the journal on its own thread ({@link
 *     io.zkperp.sequencer.journal.SnapshotReplica}: no pause of the core or journal thread, at the
 *     cost of a second copy in memory and each command applied twice) rather than by pausing the
 *     core thread to serialise the core and the journal thread to encode the read model (default
 *     true)
 */
public record DurabilityOptions(
    long journalSegmentBytes,
    long snapshotEveryRecords,
    long snapshotEverySeconds,
    int snapshotsKept,
    Path journalArchiveDir,
    boolean snapshotReplica) {

  /** The default segment size, MiB. */
  public static final int DEFAULT_SEGMENT_MIB = 64;

  /** The default snapshot period in records. */
  public static final long DEFAULT_SNAPSHOT_EVERY_RECORDS = 100_000;

  /** The default snapshot period in seconds. */
  public static final long DEFAULT_SNAPSHOT_EVERY_SECONDS = 300;

  /** The default number of snapshots kept. */
  public static final int DEFAULT_SNAPSHOTS_KEPT = 2;

  /**
   * Checks the options.
   *
   * @param journalSegmentBytes see the record
   * @param snapshotEveryRecords see the record
   * @param snapshotEverySeconds see the record
   * @param snapshotsKept see the record
   * @param journalArchiveDir see the record
   * @param snapshotReplica see the record
   * @throws IllegalArgumentException naming the value out of range
   */
  public DurabilityOptions {
    JournalSegments.checkSegmentBytes(journalSegmentBytes);
    if (snapshotEveryRecords < 0) {
      throw new IllegalArgumentException(
          "snapshotEveryRecords must be ≥ 0 (0: not by count), got " + snapshotEveryRecords);
    }
    if (snapshotEverySeconds < 0) {
      throw new IllegalArgumentException(
          "snapshotEverySeconds must be ≥ 0 (0: not by time), got " + snapshotEverySeconds);
    }
    if (snapshotsKept < 1) {
      throw new IllegalArgumentException("snapshotsKept must be ≥ 1, got " + snapshotsKept);
    }
  }

  /**
   * The options with snapshots taken by a replica (the default).
   *
   * @param journalSegmentBytes see the record
   * @param snapshotEveryRecords see the record
   * @param snapshotEverySeconds see the record
   * @param snapshotsKept see the record
   * @param journalArchiveDir see the record
   * @throws IllegalArgumentException naming the value out of range
   */
  public DurabilityOptions(
      long journalSegmentBytes,
      long snapshotEveryRecords,
      long snapshotEverySeconds,
      int snapshotsKept,
      Path journalArchiveDir) {
    this(
        journalSegmentBytes,
        snapshotEveryRecords,
        snapshotEverySeconds,
        snapshotsKept,
        journalArchiveDir,
        true);
  }

  /**
   * The same options with snapshots taken by a replica or by pausing the pipeline's threads.
   *
   * @param value see {@link #snapshotReplica}
   * @return the options
   */
  public DurabilityOptions withSnapshotReplica(boolean value) {
    return new DurabilityOptions(
        journalSegmentBytes,
        snapshotEveryRecords,
        snapshotEverySeconds,
        snapshotsKept,
        journalArchiveDir,
        value);
  }

  /**
   * The defaults: 64 MiB segments, a snapshot every 100,000 records or 300 s, 2 kept, released
   * segments deleted, snapshots taken by a replica.
   *
   * @return the defaults
   */
  public static DurabilityOptions defaults() {
    return new DurabilityOptions(
        (long) DEFAULT_SEGMENT_MIB << 20,
        DEFAULT_SNAPSHOT_EVERY_RECORDS,
        DEFAULT_SNAPSHOT_EVERY_SECONDS,
        DEFAULT_SNAPSHOTS_KEPT,
        null);
  }
}
