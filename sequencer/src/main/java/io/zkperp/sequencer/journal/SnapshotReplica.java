package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second copy of the core (and of a read side) that follows the journal on its own thread, {@code
 * snapshot-replica}, so that snapshots are taken from the copy and neither the core thread nor the
 * journal thread stops for one. The journal thread hands each accepted command to it after the
 * group commit that made the command durable and after the pipeline's output applied the command
 * ({@link #accepted}: one queue insertion); the replica thread applies it to its core, which is
 * deterministic, so the copy passes through exactly the states of the core, record by record, and
 * hands its events to the read side's copy ({@link Follower}). When the {@link Snapshotter} says a
 * snapshot is due, the replica thread serialises its core and encodes the read side ({@link
 * Snapshotter.ReadSide}, which must read the follower's copy) at that record, and the writer thread
 * writes them; the pipeline goes on meanwhile.
 *
 * <p>The queue is bounded: if the replica falls behind by {@code capacity} commands (a snapshot's
 * serialisation takes longer than that many commands take to arrive), the journal thread waits for
 * room, so the copy's memory stays bounded. A command the copy rejects or a follower that throws
 * means the copy no longer equals the core: the replica stops, logs it, counts it ({@link
 * #failed}), takes no more snapshots and drops what it is given (the journal still holds
 * everything, so nothing acknowledged is lost; a restart rebuilds both copies).
 *
 * <p>Cost: one more core and read side in memory, and each command applied twice (without the
 * signature checks, which only intake does).
 *
 * <p>Threads: construction and {@link #copyOf} on the controlling thread before the pipeline
 * starts; {@link #accepted} on the journal thread; the statistics from any thread; {@link #stopAt}
 * on the controlling thread once the pipeline has stopped.
 */
public final class SnapshotReplica {
  private static final System.Logger LOG = System.getLogger(SnapshotReplica.class.getName());

  /** The default queue capacity, in commands. */
  public static final int DEFAULT_CAPACITY = 1 << 16;

  /** The read side's copy: fed with each command the replica's core applied, with its events. */
  @FunctionalInterface
  public interface Follower {
    /** A follower without a read side. */
    Follower NONE = (seq, command, events) -> {};

    /**
     * Applies one accepted command to the read side's copy. The replica thread only.
     *
     * @param journalSeq the command's journal sequence
     * @param command the command
     * @param events the events the replica's core produced for it (equal to the core's)
     */
    void apply(long journalSeq, Command command, List<SequencerEvent> events);
  }

  private record Entry(long seq, Command command) {}

  private static final Entry STOP = new Entry(-1, null);

  private final java.util.concurrent.Callable<SequencerCore> copy;
  private SequencerCore core; // the replica thread's, once copied
  private final Follower follower;
  private final EventCollector events = new EventCollector();
  private final BlockingQueue<Entry> queue;
  private final Thread thread;
  private Snapshotter snapshotter; // set before the thread starts
  private volatile long appliedSeq;
  private volatile long handedSeq;
  private volatile boolean failed;
  private volatile long longestHandOffNanos;
  private volatile long copyNanos;

  /**
   * A replica of a core that is at journal record {@code journalSeq}.
   *
   * @param copy a core equal to the pipeline's core at {@code journalSeq}, owned by the replica
   *     from now on (its listener is replaced)
   * @param journalSeq the journal record both cores have applied last
   * @param follower the read side's copy, at the same record
   * @param capacity how many commands may wait for the replica thread (≥ 1)
   */
  public SnapshotReplica(SequencerCore copy, long journalSeq, Follower follower, int capacity) {
    this(constant(Objects.requireNonNull(copy)), journalSeq, follower, capacity);
  }

  private static java.util.concurrent.Callable<SequencerCore> constant(SequencerCore core) {
    return () -> core;
  }

  /**
   * A replica whose copy is made on the replica thread, before it applies the first command (so the
   * start of the node does not wait for it): {@code copy} builds the core from state captured
   * beforehand (for example {@link #decode} of {@link SnapshotStore#serialize} bytes taken before
   * the pipeline started) and brings the read side's copy to the same record. Commands handed over
   * meanwhile wait in the queue. If {@code copy} throws, the replica fails (logged, no snapshots).
   *
   * @param copy builds the copy on the replica thread; the core it returns is owned by the replica
   * @param journalSeq the journal record the copy is at
   * @param follower the read side's copy (ready once {@code copy} returned)
   * @param capacity how many commands may wait for the replica thread (≥ 1)
   */
  public SnapshotReplica(
      java.util.concurrent.Callable<SequencerCore> copy,
      long journalSeq,
      Follower follower,
      int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be ≥ 1, got " + capacity);
    }
    this.copy = Objects.requireNonNull(copy);
    this.follower = Objects.requireNonNull(follower);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.appliedSeq = journalSeq;
    this.handedSeq = journalSeq;
    this.thread = new Thread(this::run, "snapshot-replica");
    thread.setDaemon(true);
  }

  /**
   * Copies a core through its canonical serialisation ({@link CoreState}): the copy equals the
   * original state for state, including the risk hook's. The controlling thread, before the
   * pipeline starts (the original must not change during the call).
   *
   * @param original the pipeline's core
   * @param books the books of the copy
   * @param freshRisk a fresh risk hook configured as the original's (its state is loaded from the
   *     original's)
   * @return the copy, with no listener
   * @throws IOException if the state does not load into the fresh hook (another configuration)
   */
  public static SequencerCore copyOf(
      SequencerCore original, OrderBookFactory books, RiskHook freshRisk) throws IOException {
    return decode(SnapshotStore.serialize(original), books, freshRisk);
  }

  /**
   * A core from its canonical serialisation ({@link SnapshotStore#serialize}). Any thread.
   *
   * @param state the serialised core
   * @param books the books of the copy
   * @param freshRisk a fresh risk hook configured as the original's
   * @return the copy, with no listener
   * @throws IOException if the state does not load into the fresh hook (another configuration)
   */
  public static SequencerCore decode(byte[] state, OrderBookFactory books, RiskHook freshRisk)
      throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(state);
    SequencerCore copy =
        CoreState.read(new DataInputStream(in), books, freshRisk, CoreListener.NONE);
    if (in.available() != 0) {
      throw new IOException(
          in.available() + " bytes of the core state were not read into the copy (another hook?)");
    }
    return copy;
  }

  /**
   * Starts the replica thread, which asks {@code s} when to snapshot. Called by the snapshotter.
   */
  void start(Snapshotter s) {
    if (snapshotter != null) {
      throw new IllegalStateException("a replica serves one snapshotter");
    }
    snapshotter = s;
    thread.start();
  }

  /**
   * The journal thread: one accepted command, durable, that the output has applied. Waits only if
   * the replica is {@code capacity} commands behind; does nothing once the replica has failed.
   *
   * @param journalSeq its journal sequence (the one after the previous call's)
   * @param command the command
   */
  public void accepted(long journalSeq, Command command) {
    if (failed) {
      return;
    }
    long start = System.nanoTime();
    Entry e = new Entry(journalSeq, command);
    if (!queue.offer(e)) {
      try {
        while (!queue.offer(e, 100, TimeUnit.MILLISECONDS)) {
          if (failed || !thread.isAlive()) {
            return;
          }
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    handedSeq = journalSeq;
    long took = System.nanoTime() - start;
    if (took > longestHandOffNanos) {
      longestHandOffNanos = took;
    }
  }

  private void run() {
    List<Entry> batch = new ArrayList<>(256);
    try {
      long start = System.nanoTime();
      core = copy.call();
      core.setListener(events);
      copyNanos = System.nanoTime() - start;
      LOG.log(
          System.Logger.Level.INFO,
          "snapshot replica ready at journal record {0}: its copy took {1} ms on its own thread",
          appliedSeq,
          copyNanos / 1_000_000);
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch, 255);
        for (Entry e : batch) {
          if (e == STOP) {
            return;
          }
          apply(e);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | Error e) {
      failed = true;
      queue.clear();
      LOG.log(
          System.Logger.Level.ERROR,
          "the snapshot replica stopped at journal record "
              + appliedSeq
              + "; no more snapshots are taken until a restart (the journal holds every record)",
          e);
    }
  }

  private void apply(Entry e) {
    if (e.seq() != appliedSeq + 1) {
      throw new IllegalStateException(
          "the replica is at journal record " + appliedSeq + " and was given " + e.seq());
    }
    if (!core.apply(e.command())) {
      throw new IllegalStateException(
          "journal record "
              + e.seq()
              + " was rejected by the replica ("
              + core.lastRejectReason()
              + ": "
              + core.lastRejectMessage()
              + "): the copy no longer equals the core");
    }
    follower.apply(e.seq(), e.command(), events.drain());
    appliedSeq = e.seq();
    if (snapshotter.due(e.seq())) {
      long start = System.nanoTime();
      byte[] state = SnapshotStore.serialize(core);
      snapshotter.takenByReplica(e.seq(), state, System.nanoTime() - start);
    }
  }

  /**
   * The controlling thread, once the pipeline has stopped: waits until the replica has applied
   * record {@code journalSeq}, then stops its thread and hands its core over (no other thread
   * touches it afterwards).
   *
   * @param journalSeq the last journal record given to {@link #accepted}
   * @return the replica's core at that record, or null if the replica failed (or did not get there
   *     within a minute)
   * @throws InterruptedException if interrupted while waiting
   */
  public SequencerCore stopAt(long journalSeq) throws InterruptedException {
    if (!thread.isAlive()) {
      return failed || appliedSeq != journalSeq ? null : core;
    }
    if (!queue.offer(STOP, 60, TimeUnit.SECONDS)) {
      LOG.log(System.Logger.Level.WARNING, "the snapshot replica did not drain within 60 s");
      return null;
    }
    thread.join(TimeUnit.SECONDS.toMillis(60));
    if (thread.isAlive() || failed || appliedSeq != journalSeq) {
      return null;
    }
    return core;
  }

  /**
   * Stops the replica thread without letting it drain (the snapshotter's close), and waits up to 10
   * s for a snapshot it is taking to be handed over.
   */
  void interrupt() {
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * How long the replica thread took to make its copy before applying the first command. Any
   * thread.
   *
   * @return nanoseconds (0 until done)
   */
  public long copyNanos() {
    return copyNanos;
  }

  /**
   * The last journal record the replica applied. Any thread.
   *
   * @return the sequence
   */
  public long appliedSeq() {
    return appliedSeq;
  }

  /**
   * How many handed-over commands the replica has not applied yet. Any thread.
   *
   * @return the lag in records
   */
  public long lag() {
    return Math.max(0, handedSeq - appliedSeq);
  }

  /**
   * Whether the replica stopped because its copy no longer followed the core. Any thread.
   *
   * @return true if it failed
   */
  public boolean failed() {
    return failed;
  }

  /**
   * The longest time the journal thread spent in {@link #accepted} (the replica's only cost on the
   * acknowledgement path). Any thread.
   *
   * @return nanoseconds
   */
  public long longestHandOffNanos() {
    return longestHandOffNanos;
  }
}
