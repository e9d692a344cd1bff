package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.core.SequencerCore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When and how the running pipeline takes snapshots, in one of two ways.
 *
 * <p><b>With a {@link SnapshotReplica}</b> ({@link SnapshotterBuilder#replica}; the demo node's
 * way): the journal thread hands each accepted command to the replica after its group commit
 * ({@link #accepted}, one queue insertion); the replica thread applies it to its copy of the core
 * and of the read side, decides ({@link #due}), serialises its copy and encodes the read side at
 * that record ({@link ReadSide}, which must read the replica's copy), and hands both to the writer
 * thread. Neither the core thread nor the journal thread stops for a snapshot.
 *
 * <p><b>Without one</b>: the core thread decides ({@link #due}) and serialises the core at a
 * command boundary (the only pause of the core thread); the journal thread, after the group commit
 * that made that command durable and after the pipeline's output has applied it, adds the read
 * side's state as of the same command ({@link ReadSide}, the only pause of the journal thread) and
 * hands both to the writer thread.
 *
 * <p>Either way a background writer thread writes the snapshot ({@link SnapshotStore#write(long,
 * byte[], byte[])}: checksummed, atomically published), keeps the newest {@code keep} snapshots and
 * then releases the journal segments that the oldest kept snapshot covers ({@link
 * JournalSegments#releaseCovered}), so a damaged newest snapshot can still fall back to an older
 * one with its journal tail, and that the {@link SegmentReleaseGate} allows (a settling node: only
 * records in batches that are final on L1).
 *
 * <p>At most one snapshot waits for the writer: while one waits, {@link #due} says no (unless built
 * with {@link SnapshotterBuilder#queueAll}). A failed write is logged and counted; the journal is
 * untouched, so nothing acknowledged is lost, and the next snapshot tries again.
 *
 * <p>Threads: {@link #due} on the core thread (the replica thread with a replica); {@link #taken}
 * and {@link #accepted} on the journal thread; {@link #requestSnapshot} and the statistics from any
 * thread; {@link #finalSnapshot} and {@link #close} from the controlling thread once the pipeline
 * has stopped.
 */
public final class Snapshotter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Snapshotter.class.getName());

  /** The read side's state (for example a gateway's read model) as of a journal record, encoded. */
  @FunctionalInterface
  public interface ReadSide {
    /**
     * Encodes the read side, which has applied every record up to {@code journalSeq} and no other.
     * Called on the journal thread (with a {@link SnapshotReplica}: the replica thread, and the
     * read side is the replica's copy), or the controlling thread once the pipeline stopped.
     *
     * @param journalSeq the record the snapshot ends at
     * @return the encoded state
     */
    byte[] encode(long journalSeq);
  }

  /** Hears what the writer did (the writer thread; the journal thread for a read side failure). */
  public interface Events {
    /**
     * A snapshot was written.
     *
     * @param journalSeq the record it ends at
     * @param file its file
     * @param coreNanos the time to serialise the core (a pause of the core thread, or with a
     *     replica time on the replica thread)
     * @param readSideNanos the time to encode the read side (a pause of the journal thread, or with
     *     a replica time on the replica thread)
     * @param writeNanos the writer thread's time to write, fsync and publish it
     * @param releasedSegments journal segments released after it
     */
    void written(
        long journalSeq,
        Path file,
        long coreNanos,
        long readSideNanos,
        long writeNanos,
        int releasedSegments);

    /**
     * A snapshot failed (the journal still holds every record).
     *
     * @param journalSeq the record it would have ended at
     * @param error why
     */
    void failed(long journalSeq, Exception error);
  }

  /**
   * The default {@link Events}: {@link System.Logger} INFO and WARNING.
   *
   * @param byReplica whether a replica takes the snapshots (so the times are no pauses)
   */
  private static Events logged(boolean byReplica) {
    String how =
        byReplica
            ? "taken by the replica, no pause of intake"
            : "pauses of the core and journal threads";
    return new Events() {
      @Override
      public void written(
          long journalSeq,
          Path file,
          long coreNanos,
          long readSideNanos,
          long writeNanos,
          int releasedSegments) {
        LOG.log(
            System.Logger.Level.INFO,
            "snapshot at record {0} written in {1} ms ({5}: core {2} µs, read side {3} µs),"
                + " {4} journal segments released",
            journalSeq,
            writeNanos / 1_000_000,
            coreNanos / 1_000,
            readSideNanos / 1_000,
            releasedSegments,
            how);
      }

      @Override
      public void failed(long journalSeq, Exception error) {
        LOG.log(
            System.Logger.Level.WARNING,
            "snapshot at record " + journalSeq + " failed; the journal still holds every record",
            error);
      }
    };
  }

  private final SnapshotStore store;
  private final Events events;
  private final long everyRecords;
  private final int keep;
  private final ReadSide readSide;
  private final Path dataDir;
  private final Path archiveDir;
  private final boolean onClose;
  private final boolean queueAll;
  private final SnapshotReplica replica;
  private final SegmentReleaseGate releaseGate;
  private final java.util.function.LongSupplier protectAtOrBefore;
  private volatile boolean heldByGate;
  private final ExecutorService writer;
  private final ScheduledExecutorService timer;
  private volatile boolean requested;
  private volatile long waitingSeq; // a snapshot taken, not yet written (0 = none)
  private volatile long takenSeq;
  private volatile long writtenSeq;
  private volatile long written;
  private final java.util.concurrent.atomic.AtomicLong failures =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile long lastCoreNanos;
  private volatile long longestCoreNanos;
  private volatile long lastReadSideNanos;
  private volatile long longestReadSideNanos;
  private volatile long lastWriteNanos;
  private volatile long releasedSegments;
  private volatile long lastReplicaNanos;

  Snapshotter(SnapshotterBuilder b) {
    this.store = b.store;
    this.events = b.events != null ? b.events : logged(b.replica != null);
    this.everyRecords = b.everyRecords;
    this.keep = b.keep;
    this.readSide = b.readSide;
    this.dataDir = b.dataDir;
    this.archiveDir = b.archiveDir;
    this.onClose = b.onClose;
    this.queueAll = b.queueAll;
    this.replica = b.replica;
    this.releaseGate = b.releaseGate;
    this.protectAtOrBefore = b.protectAtOrBefore;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "snapshot-writer");
              t.setDaemon(true);
              return t;
            });
    if (b.everyMillis > 0) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "snapshot-timer");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleAtFixedRate(
          this::requestSnapshot, b.everyMillis, b.everyMillis, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
    if (replica != null) {
      replica.start(this);
    }
  }

  /**
   * A builder: no periodic snapshots, keep 2, no read side, segments kept, a snapshot on close.
   *
   * @param store where snapshots go
   * @return the builder
   */
  public static SnapshotterBuilder builder(SnapshotStore store) {
    return new SnapshotterBuilder(store);
  }

  /**
   * Core thread: whether to serialise the core after the accepted command {@code journalSeq}. Yes
   * every {@code everyRecords} records and after a request (timer, {@link #requestSnapshot}),
   * unless a snapshot still waits for the writer.
   *
   * @param journalSeq the journal sequence the core has just reached
   * @return true to take a snapshot now
   */
  public boolean due(long journalSeq) {
    boolean byCount = everyRecords > 0 && journalSeq % everyRecords == 0;
    if (!byCount && !requested) {
      return false;
    }
    if (!queueAll && waitingSeq != 0) {
      return false;
    }
    requested = false;
    return true;
  }

  /**
   * Whether a {@link SnapshotReplica} takes the snapshots: then the pipeline's core thread never
   * calls {@link #due} and its journal thread calls {@link #accepted} for every accepted command.
   * Any thread.
   *
   * @return true with a replica
   */
  public boolean hasReplica() {
    return replica != null;
  }

  /**
   * The replica, or null. Any thread (for its statistics).
   *
   * @return the replica
   */
  public SnapshotReplica replica() {
    return replica;
  }

  /**
   * Journal thread, with a replica: one accepted command, durable, that the output has applied.
   * Hands it to the replica (one queue insertion).
   *
   * @param journalSeq its journal sequence
   * @param command the command
   */
  public void accepted(long journalSeq, io.zkperp.sequencer.command.Command command) {
    replica.accepted(journalSeq, command);
  }

  /** Asks for a snapshot after the next accepted command. Any thread. */
  public void requestSnapshot() {
    requested = true;
  }

  /**
   * Journal thread: the core state of {@code journalSeq}, which is durable and which the read side
   * has applied. Encodes the read side and queues the write.
   *
   * @param journalSeq the record the snapshot ends at
   * @param coreState the core's serialisation at that record
   * @param coreNanos how long the core thread took to serialise it
   */
  public void taken(long journalSeq, byte[] coreState, long coreNanos) {
    lastCoreNanos = coreNanos;
    longestCoreNanos = Math.max(longestCoreNanos, coreNanos);
    queue(journalSeq, coreState, coreNanos, true);
  }

  /** The replica thread: its copy's state at {@code journalSeq}; no pipeline thread paused. */
  void takenByReplica(long journalSeq, byte[] coreState, long coreNanos) {
    long start = System.nanoTime();
    queue(journalSeq, coreState, coreNanos, false);
    lastReplicaNanos = coreNanos + System.nanoTime() - start;
  }

  private void queue(long journalSeq, byte[] coreState, long coreNanos, boolean onJournalThread) {
    long start = System.nanoTime();
    byte[] read;
    try {
      read = readSide == null ? null : readSide.encode(journalSeq);
    } catch (RuntimeException e) { // never stop the journal stage for a snapshot
      failures.incrementAndGet();
      events.failed(journalSeq, e);
      return;
    }
    long took = System.nanoTime() - start;
    if (onJournalThread) {
      lastReadSideNanos = took;
      longestReadSideNanos = Math.max(longestReadSideNanos, took);
    }
    takenSeq = journalSeq;
    waitingSeq = journalSeq;
    writer.execute(() -> write(journalSeq, coreState, read, coreNanos, took));
  }

  private void write(
      long journalSeq, byte[] coreState, byte[] read, long coreNanos, long readSideNanos) {
    if (waitingSeq == journalSeq) {
      waitingSeq = 0;
    }
    long start = System.nanoTime();
    try {
      Path file = store.write(journalSeq, coreState, read);
      writtenSeq = journalSeq;
      written++;
      lastWriteNanos = System.nanoTime() - start;
      long protect = protectAtOrBefore == null ? Long.MAX_VALUE : protectAtOrBefore.getAsLong();
      List<Path> kept = store.prune(keep, protect);
      int released = 0;
      if (dataDir != null && kept.size() >= keep) {
        long covered = SnapshotStore.journalSeqOf(kept.get(0));
        if (protectAtOrBefore != null) {
          // recovery starts from the newest snapshot at or before the protected record: only what
          // that snapshot covers may leave (nothing while there is none)
          covered = 0;
          for (Path f : kept) {
            long seq = SnapshotStore.journalSeqOf(f);
            if (seq <= protect) {
              covered = Math.max(covered, seq);
            }
          }
        }
        long gate = releaseGate.releasableJournalSeq();
        heldByGate = gate < covered;
        released =
            JournalSegments.releaseCovered(dataDir, Math.min(covered, gate), archiveDir).size();
        releasedSegments += released;
      }
      events.written(journalSeq, file, coreNanos, readSideNanos, lastWriteNanos, released);
    } catch (IOException | RuntimeException e) {
      failures.incrementAndGet();
      events.failed(journalSeq, e);
    }
  }

  /**
   * Controlling thread, once the pipeline has stopped (core and read side quiescent): queues a
   * snapshot at the core's last record unless one was already taken there (in this run, or a file
   * on disk), or the builder said otherwise. {@link #close} waits for it. With a replica, first
   * waits for the replica to apply the last record and stops its thread, then snapshots the
   * replica's copy and read side (none if the replica failed).
   *
   * @param journalSeq the last journal record, durable
   * @param core the core
   */
  public void finalSnapshot(long journalSeq, SequencerCore core) {
    if (replica != null) {
      try {
        core = replica.stopAt(journalSeq);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        core = null;
      }
      if (core == null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "no snapshot on close: the snapshot replica is not at journal record " + journalSeq);
        return;
      }
    }
    if (!onClose || journalSeq == 0 || journalSeq <= takenSeq) {
      return;
    }
    try {
      List<Path> files = store.files();
      if (!files.isEmpty()
          && SnapshotStore.journalSeqOf(files.get(files.size() - 1)) >= journalSeq) {
        return; // nothing new since the snapshot this run started from
      }
    } catch (IOException e) {
      // cannot list: take the snapshot anyway
    }
    long start = System.nanoTime();
    byte[] state = SnapshotStore.serialize(core);
    if (replica != null) {
      takenByReplica(journalSeq, state, System.nanoTime() - start);
    } else {
      taken(journalSeq, state, System.nanoTime() - start);
    }
  }

  /**
   * Waits for the snapshots queued so far to be written. Controlling thread (tests, shutdown).
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitWrites() throws InterruptedException {
    Future<?> f = writer.submit(() -> {});
    try {
      f.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops the timer, writes what is queued and stops the writer thread. Controlling thread, after
   * {@link #finalSnapshot}.
   */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    if (replica != null) {
      replica.interrupt(); // stopped already after a final snapshot
    }
    writer.shutdown();
    try {
      if (!writer.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "snapshot writer did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The last journal record a written snapshot ends at. Any thread.
   *
   * @return the sequence, 0 if none written
   */
  public long writtenSeq() {
    return writtenSeq;
  }

  /**
   * Snapshots written. Any thread.
   *
   * @return the count
   */
  public long written() {
    return written;
  }

  /**
   * Snapshot writes that failed. Any thread.
   *
   * @return the count
   */
  public long failures() {
    return failures.get();
  }

  /**
   * Segment files deleted or archived after snapshots. Any thread.
   *
   * @return the count
   */
  public long releasedSegments() {
    return releasedSegments;
  }

  /**
   * Whether the {@link SegmentReleaseGate} held back segments that the kept snapshots cover, after
   * the last snapshot. Any thread.
   *
   * @return true if the gate held some back
   */
  public boolean heldByGate() {
    return heldByGate;
  }

  /**
   * How long the core thread took to serialise the last snapshot's core state. Any thread.
   *
   * @return nanoseconds
   */
  public long lastCorePauseNanos() {
    return lastCoreNanos;
  }

  /**
   * With a replica: how long the replica thread took to serialise its copy and encode the read side
   * for the last snapshot (no pipeline thread waits for it). Any thread.
   *
   * @return nanoseconds, 0 without a replica
   */
  public long lastReplicaSnapshotNanos() {
    return lastReplicaNanos;
  }

  /**
   * The longest core serialisation on the core thread so far (0 with a replica). Any thread.
   *
   * @return nanoseconds
   */
  public long longestCorePauseNanos() {
    return longestCoreNanos;
  }

  /**
   * How long the journal thread took to encode the last snapshot's read side. Any thread.
   *
   * @return nanoseconds
   */
  public long lastReadSidePauseNanos() {
    return lastReadSideNanos;
  }

  /**
   * The longest read side encoding on the journal thread so far (0 with a replica). Any thread.
   *
   * @return nanoseconds
   */
  public long longestReadSidePauseNanos() {
    return longestReadSideNanos;
  }

  /**
   * How long the writer thread took to write (and fsync, rename) the last snapshot. Any thread.
   *
   * @return nanoseconds
   */
  public long lastWriteNanos() {
    return lastWriteNanos;
  }
}
