package io.zkperp.sequencer.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.SnapshotStore;
import io.zkperp.sequencer.journal.Snapshotter;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running sequencer: intake (decode + EdDSA check, {@code intakeThreads} in parallel) → core
 * (one thread) → journal (append, one fsync per batch, then results to the {@link
 * SequencerOutput}). Owns its threads; does not own the core or the journal before {@link #close}.
 *
 * <p>Thread rules: {@link #submit} may be called from any number of threads; {@link #close} from
 * one thread, once, after the last submit. The core must not be touched by anyone else while the
 * sequencer runs.
 */
public final class Sequencer implements AutoCloseable {
  private final Disruptor<CommandSlot> disruptor;
  private final RingBuffer<CommandSlot> ring;
  private final SequencerCore core;
  private final JournalWriter journal;
  private final Snapshotter snapshotter;
  private final boolean ownsSnapshotter;
  private final CoreHandler coreHandler;

  /**
   * Signers whose precomputed key tables a verifier keeps, admitted by frequency ({@link
   * io.zkperp.protocol.eddsa.PublicKeyTableCache}): at most about 60 MB of Java tables or 24 MB of
   * native ones; a signer with a table verifies in about half the time.
   */
  public static final int KEY_TABLES = 256;

  /**
   * Starts building a sequencer. Defaults: signatures verified in Java ({@link
   * JavaSignatureVerifier} with {@link #KEY_TABLES} key tables), no snapshots, 2 intake threads, a
   * ring of 1,024 slots.
   *
   * @param core the recovered core (its listener is replaced by the pipeline's collector)
   * @param journal the journal, positioned after the core's last applied record
   * @param keys accounts' public keys
   * @param domain the deployment orders and oracle reports must be signed for
   * @param output receives results after they are durable
   * @return the builder (one thread)
   */
  public static Builder builder(
      SequencerCore core,
      JournalWriter journal,
      PublicKeyDirectory keys,
      MessageDomain domain,
      SequencerOutput output) {
    return new Builder(core, journal, keys, domain, output);
  }

  /** The optional parts of a {@link Sequencer}. One thread. */
  public static final class Builder {
    private final SequencerCore core;
    private final JournalWriter journal;
    private final PublicKeyDirectory keys;
    private final MessageDomain domain;
    private final SequencerOutput output;
    private SignatureVerifier signatures;
    private Snapshotter snapshotter;
    private boolean ownsSnapshotter;
    private int intakeThreads = 2;
    private int ringSize = 1024;

    private Builder(
        SequencerCore core,
        JournalWriter journal,
        PublicKeyDirectory keys,
        MessageDomain domain,
        SequencerOutput output) {
      this.core = core;
      this.journal = journal;
      this.keys = keys;
      this.domain = domain;
      this.output = output;
    }

    /**
     * How the intake threads verify order and oracle-report signatures.
     *
     * @param verifier thread-safe verifier
     * @return this builder
     */
    public Builder signatures(SignatureVerifier verifier) {
      this.signatures = verifier;
      return this;
    }

    /**
     * Snapshots every {@code every} accepted commands into {@code store}, taken on the core thread,
     * every one kept, written by a snapshotter the sequencer owns and closes; no snapshots when
     * {@code store} is null or {@code every} ≤ 0.
     *
     * @param store where to write snapshots, or null
     * @param every the period in accepted commands
     * @return this builder
     */
    public Builder snapshots(SnapshotStore store, long every) {
      this.snapshotter =
          store == null || every <= 0
              ? null
              : Snapshotter.builder(store)
                  .everyRecords(every)
                  .keep(Integer.MAX_VALUE)
                  .onClose(false)
                  .queueAll(true)
                  .build();
      this.ownsSnapshotter = true;
      return this;
    }

    /**
     * Takes snapshots as {@code snapshotter} says: the core thread serialises the core when {@link
     * Snapshotter#due} (or its replica follows the journal thread), the journal thread hands the
     * state to {@link Snapshotter#taken} after the commit that made its last record durable and
     * after the output saw that record, and {@link #close} takes a final one ({@link
     * Snapshotter#finalSnapshot}). The caller closes the snapshotter after the sequencer.
     *
     * @param s when and where to take snapshots, or null for none
     * @return this builder
     */
    public Builder snapshotter(Snapshotter s) {
      this.snapshotter = s;
      this.ownsSnapshotter = false;
      return this;
    }

    /**
     * The number of parallel decode/verify threads.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder intakeThreads(int n) {
      this.intakeThreads = n;
      return this;
    }

    /**
     * The ring buffer's size.
     *
     * @param n a power of two
     * @return this builder
     */
    public Builder ringSize(int n) {
      this.ringSize = n;
      return this;
    }

    /**
     * Starts the sequencer's threads.
     *
     * @return the running sequencer
     */
    public Sequencer start() {
      return new Sequencer(this);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Sequencer(Builder b) {
    this.core = Objects.requireNonNull(b.core);
    this.journal = Objects.requireNonNull(b.journal);
    CommandCheck check =
        new CommandCheck(
            Objects.requireNonNull(b.keys),
            Objects.requireNonNull(b.domain),
            b.signatures == null ? new JavaSignatureVerifier(KEY_TABLES) : b.signatures,
            core.oracleAggregator());
    SequencerOutput output = Objects.requireNonNull(b.output);
    int intakeThreads = b.intakeThreads;
    if (intakeThreads < 1) {
      throw new IllegalArgumentException("intakeThreads must be ≥ 1");
    }
    this.snapshotter = b.snapshotter;
    this.ownsSnapshotter = b.ownsSnapshotter;
    StageSignallingWaitStrategy waitStrategy = new StageSignallingWaitStrategy();
    disruptor =
        new Disruptor<>(CommandSlot::new, b.ringSize, threads(), ProducerType.MULTI, waitStrategy);
    EventHandler<CommandSlot>[] intake = new EventHandler[intakeThreads];
    for (int i = 0; i < intakeThreads; i++) {
      intake[i] = new IntakeHandler(i, intakeThreads, check, waitStrategy);
    }
    // with a replica the core thread never snapshots: the replica follows the journal thread
    coreHandler =
        new CoreHandler(
            core,
            journal.lastSeq(),
            snapshotter != null && snapshotter.hasReplica() ? null : snapshotter,
            waitStrategy);
    disruptor
        .handleEventsWith(intake)
        .then(coreHandler)
        .then(new JournalHandler(journal, snapshotter, output));
    ring = disruptor.start();
  }

  private static ThreadFactory threads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "sequencer-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Submits one encoded command. Blocks while the ring is full. Any thread.
   *
   * @param requestId the caller's id, echoed in the result
   * @param encoded the {@link CommandCodec} bytes (not copied: do not modify afterwards)
   */
  public void submit(long requestId, byte[] encoded) {
    long seq = ring.next();
    try {
      CommandSlot slot = ring.get(seq);
      slot.clear();
      slot.requestId = requestId;
      slot.bytes = encoded;
    } finally {
      ring.publish(seq);
    }
  }

  /**
   * Processes everything submitted so far, then stops the threads, then takes the final snapshot if
   * the snapshotter wants one (the core and the output are quiescent). Call from one thread, after
   * the last submit; the caller then owns the core and closes the journal (and a snapshotter it
   * passed in).
   */
  @Override
  public void close() {
    disruptor.shutdown();
    // the core thread's count is visible here: shutdown() read the core stage's sequence, which
    // the core thread released after its last command
    if (snapshotter == null) {
      return;
    }
    if (coreHandler.journalSeq == journal.committedSeq()) {
      snapshotter.finalSnapshot(journal.committedSeq(), core);
    }
    if (ownsSnapshotter) {
      snapshotter.close();
    }
  }

  /** Decodes and verifies the slots {@code seq mod n == index}. */
  private static final class IntakeHandler implements EventHandler<CommandSlot> {
    private final int index;
    private final int count;
    private final CommandCheck check;
    private final StageSignallingWaitStrategy waitStrategy;
    private Sequence progress;

    IntakeHandler(
        int index, int count, CommandCheck check, StageSignallingWaitStrategy waitStrategy) {
      this.index = index;
      this.count = count;
      this.check = check;
      this.waitStrategy = waitStrategy;
    }

    @Override
    public void setSequenceCallback(Sequence sequenceCallback) {
      this.progress = sequenceCallback;
    }

    @Override
    public void onEvent(CommandSlot slot, long sequence, boolean endOfBatch) {
      if (sequence % count == index) {
        check.check(slot);
      }
      if (endOfBatch) {
        waitStrategy.release(progress, sequence);
      }
    }
  }

  /** The core thread: applies verified commands in ring order. */
  private static final class CoreHandler implements EventHandler<CommandSlot> {
    private final SequencerCore core;
    private final EventCollector collector = new EventCollector();
    private final Snapshotter snapshotter;
    private final StageSignallingWaitStrategy waitStrategy;
    private Sequence progress;
    private long journalSeq;

    CoreHandler(
        SequencerCore core,
        long journalSeq,
        Snapshotter snapshotter,
        StageSignallingWaitStrategy waitStrategy) {
      this.core = core;
      this.journalSeq = journalSeq;
      this.snapshotter = snapshotter;
      this.waitStrategy = waitStrategy;
      core.setListener(collector);
    }

    @Override
    public void setSequenceCallback(Sequence sequenceCallback) {
      this.progress = sequenceCallback;
    }

    @Override
    public void onEvent(CommandSlot slot, long sequence, boolean endOfBatch) {
      if (slot.reject == null) {
        apply(slot);
      }
      if (endOfBatch) {
        waitStrategy.release(progress, sequence);
      }
    }

    private void apply(CommandSlot slot) {
      slot.accepted = core.apply(slot.command);
      if (slot.accepted) {
        journalSeq++;
        slot.events = collector.drain();
        if (snapshotter != null && snapshotter.due(journalSeq)) {
          long start = System.nanoTime();
          slot.snapshotState = SnapshotStore.serialize(core);
          slot.snapshotNanos = System.nanoTime() - start;
          slot.snapshotSeq = journalSeq;
        }
      } else {
        slot.reject = core.lastRejectReason();
        slot.rejectMessage = core.lastRejectMessage();
        collector.drain();
      }
    }
  }

  /** Appends accepted commands, fsyncs at the end of each batch, then reports the batch. */
  private static final class JournalHandler implements EventHandler<CommandSlot> {
    private final JournalWriter journal;
    private final Snapshotter snapshotter;
    private final SequencerOutput output;
    private final java.util.ArrayList<CommandSlot> batch = new java.util.ArrayList<>();
    private long[] seqs = new long[1024];
    private final boolean replica;
    private Command[] accepted = new Command[1024]; // with a replica: the batch's commands
    private int acceptedCount;
    private long firstAccepted;

    JournalHandler(JournalWriter journal, Snapshotter snapshotter, SequencerOutput output) {
      this.journal = journal;
      this.snapshotter = snapshotter;
      this.output = output;
      this.replica = snapshotter != null && snapshotter.hasReplica();
    }

    @Override
    public void onEvent(CommandSlot slot, long sequence, boolean endOfBatch) throws IOException {
      if (batch.size() == seqs.length) {
        seqs = java.util.Arrays.copyOf(seqs, seqs.length * 2);
      }
      seqs[batch.size()] = slot.accepted ? journal.append(slot.command) : 0L;
      batch.add(slot);
      if (!endOfBatch) {
        return;
      }
      journal.commit();
      for (int i = 0; i < batch.size(); i++) {
        CommandSlot s = batch.get(i);
        if (s.accepted) {
          List<io.zkperp.sequencer.core.SequencerEvent> events = s.events;
          output.onAccepted(s.requestId, seqs[i], s.command, events);
          if (replica) {
            if (acceptedCount == accepted.length) {
              accepted = java.util.Arrays.copyOf(accepted, accepted.length * 2);
            }
            if (acceptedCount == 0) {
              firstAccepted = seqs[i];
            }
            accepted[acceptedCount++] = s.command;
          } else if (s.snapshotState != null) {
            // durable, and the output has applied it: the read side is at the same record
            snapshotter.taken(s.snapshotSeq, s.snapshotState, s.snapshotNanos);
          }
        } else {
          output.onRejected(s.requestId, s.reject, s.rejectMessage);
        }
        s.clear();
      }
      batch.clear();
      output.onBatchEnd();
      // after the output's batch end (the read side's history is written up to here): the
      // replica follows, and a snapshot it takes never runs ahead of that history
      for (int i = 0; i < acceptedCount; i++) {
        snapshotter.accepted(firstAccepted + i, accepted[i]);
        accepted[i] = null;
      }
      acceptedCount = 0;
    }
  }
}
