package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.journal.Snapshotter.Events;
import io.zkperp.sequencer.journal.Snapshotter.ReadSide;
import java.nio.file.Path;
import java.util.Objects;

/** Builds a {@link Snapshotter}: {@link Snapshotter#builder}. One thread. */
public final class SnapshotterBuilder {
  final SnapshotStore store;
  long everyRecords;
  long everyMillis;
  int keep = 2;
  ReadSide readSide;
  Path dataDir;
  Path archiveDir;
  boolean onClose = true;
  boolean queueAll;
  Events events;
  SnapshotReplica replica;
  SegmentReleaseGate releaseGate = SegmentReleaseGate.UNLIMITED;
  java.util.function.LongSupplier protectAtOrBefore;

  SnapshotterBuilder(SnapshotStore store) {
    this.store = Objects.requireNonNull(store);
  }

  /**
   * A snapshot after every record whose sequence number is a multiple of n.
   *
   * @param n the period in records, 0 for none
   * @return this builder
   */
  public SnapshotterBuilder everyRecords(long n) {
    this.everyRecords = notNegative("everyRecords", n);
    return this;
  }

  /**
   * A snapshot after the first record at least this long after the previous request.
   *
   * @param millis the period, 0 for none
   * @return this builder
   */
  public SnapshotterBuilder everyMillis(long millis) {
    this.everyMillis = notNegative("everyMillis", millis);
    return this;
  }

  /**
   * {@code value}, or an {@link IllegalArgumentException} naming {@code option} if it is &lt; 0.
   */
  private static long notNegative(String option, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(option + " must be ≥ 0, got " + value);
    }
    return value;
  }

  /**
   * How many snapshots to keep (the older ones are deleted after each write).
   *
   * @param n at least 1
   * @return this builder
   */
  public SnapshotterBuilder keep(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("keep at least one snapshot, got " + n);
    }
    this.keep = n;
    return this;
  }

  /**
   * The read side written with each snapshot.
   *
   * @param value the encoder, or null for none
   * @return this builder
   */
  public SnapshotterBuilder readSide(ReadSide value) {
    this.readSide = value;
    return this;
  }

  /**
   * Releases the journal segments of a data directory that the oldest kept snapshot covers.
   *
   * @param value the data directory whose segments to release
   * @param archive where released segments go, or null to delete them
   * @return this builder
   */
  public SnapshotterBuilder releaseSegments(Path value, Path archive) {
    this.dataDir = Objects.requireNonNull(value);
    this.archiveDir = archive;
    return this;
  }

  /**
   * Whether {@link Snapshotter#finalSnapshot} writes one (default true).
   *
   * @param value true to snapshot on graceful shutdown
   * @return this builder
   */
  public SnapshotterBuilder onClose(boolean value) {
    this.onClose = value;
    return this;
  }

  /**
   * Take every due snapshot even while earlier ones wait for the writer (default false: skip while
   * one waits, so a slow disk never piles up copies of the state).
   *
   * @param value true to queue all
   * @return this builder
   */
  public SnapshotterBuilder queueAll(boolean value) {
    this.queueAll = value;
    return this;
  }

  /**
   * Where the writer reports (default: {@link System.Logger} INFO per snapshot, WARNING per
   * failure).
   *
   * @param value the receiver; must be quick and must not throw
   * @return this builder
   */
  public SnapshotterBuilder events(Events value) {
    this.events = Objects.requireNonNull(value);
    return this;
  }

  /**
   * Keeps, besides the newest {@code keep}, the newest snapshot at or before the record {@code
   * value} names when a snapshot is written, and releases only the journal segments that snapshot
   * covers (none while there is none): a settling node recovers from the newest snapshot at or
   * before its last sealed batch ({@code Recovery.recover(…, maxSnapshotSeq)}), so that snapshot
   * and the journal after it must stay. Default: none protected.
   *
   * @param value the protected record, read on the writer thread (e.g. the last sealed batch's last
   *     journal record)
   * @return this builder
   */
  public SnapshotterBuilder protectSnapshotAtOrBefore(java.util.function.LongSupplier value) {
    this.protectAtOrBefore = Objects.requireNonNull(value);
    return this;
  }

  /**
   * Limits the release of journal segments further: a segment is released only when the oldest kept
   * snapshot covers it and the gate allows every record in it (default {@link
   * SegmentReleaseGate#UNLIMITED}).
   *
   * @param value the gate
   * @return this builder
   */
  public SnapshotterBuilder releaseGate(SegmentReleaseGate value) {
    this.releaseGate = Objects.requireNonNull(value);
    return this;
  }

  /**
   * Takes the snapshots from a replica that follows the journal on its own thread, instead of
   * pausing the core and journal threads; the {@link #readSide} must then encode the replica's copy
   * of the read side ({@link SnapshotReplica.Follower}). {@link #build} starts the replica.
   *
   * @param value the replica, or null for none
   * @return this builder
   */
  public SnapshotterBuilder replica(SnapshotReplica value) {
    this.replica = value;
    return this;
  }

  /**
   * Builds and starts the snapshotter's threads.
   *
   * @return the snapshotter
   */
  public Snapshotter build() {
    return new Snapshotter(this);
  }
}
