package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.batcher.v3.witness.BatchWitnessException;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStore;
import io.zkperp.node.SettlementInput;
import io.zkperp.node.SettlementStage;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.state.v2.StateStoreV2;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The format v3 settlement stage on a layout v2 tree: each accepted command is translated ({@link
 * CommandTranslator}), its steps executed and checked against the engine's records on the tree
 * ({@link V3Settler#settleForBatch}, one tree version per command), and added to the open batch
 * ({@link BatchAssembler}, which seals when a step's slot group is full or a tick is under another
 * T); the time limit seals the open batch at the core's time (the last {@code Tick}). Every sealed
 * batch is stored before the next step is added: first the settlement's record ({@link
 * V3BatchRecord} in the {@link V3BatchStore}: header, origins, resume point), then the node's
 * {@link BatchRecord} in the {@link BatchStore} ({@link V3BatchRecord#batchRecordOf}: the witness
 * and the v3 commitment bytes), which the proving stage, the L1 submitter and the read side take as
 * they take format v2 batches. The queue, stage thread, time limit, back-pressure and pause are
 * {@link SettlementStage}'s, as for the format v2 {@code Settlement}.
 *
 * <p><b>Pauses.</b> An {@link V3Translation.Unprovable} command, a step the batcher refuses ({@link
 * StepRefusedException}), a tree that disagrees with a record ({@link DisagreementException}) or a
 * step the shape has no slot for ({@link UnbatchableStepException}) pauses the stage at that
 * record: the open batch is sealed without it, nothing of it is on the tree (an unbatchable
 * command, already committed, is rolled back), {@link #pausedAt()} and {@link #pauseReason()} name
 * it.
 *
 * <p><b>Crash safety.</b> The tree is committed once per command, before the batch holding the
 * command is stored. Each stored batch records where the settlement resumes after it ({@link
 * V3BatchRecord.Resume}: the tree version holding exactly the commands wholly in batches, the first
 * command not wholly in them and how many of its steps are). {@link #open} first drops a settlement
 * record whose {@link BatchRecord} a crash kept from being stored, then rolls the tree back to the
 * last stored batch's resume version (a crash between settling and storing leaves later versions)
 * and positions the assembler after the last stored batch; the replayed records before the resume
 * point are only translated (the translator's live orders and owners follow every command), the
 * later ones settled again — each step is in exactly one stored batch. The replay starts at the
 * journal's first record, or at a node snapshot at or before {@link #snapshotLimit()} whose
 * translator state {@link #restoreTranslator} restores; the tree must keep the versions of the
 * commands since the last batch (its {@code keptVersions}).
 *
 * <p>Threads: {@link #offer} from the feeding thread; {@link #open}, {@link #start} and {@link
 * #close} from the controlling thread; everything else on the stage thread {@code
 * zkperp-settlement}; the getters from any thread.
 */
public final class SettlementV3 extends SettlementStage {
  private static final Logger LOG = LoggerFactory.getLogger(SettlementV3.class);

  /** The tree's version after {@link EngineGenesis} (written as version 1 of an empty store). */
  public static final long GENESIS_VERSION = 1;

  /**
   * How batches are cut besides the shape.
   *
   * @param maxBatchDelay how long a batch stays open after its first step
   * @param maxAwaitingProof back-pressure: no batch is opened while this many sealed batches wait
   *     for their proofs; ≥ 1 ({@link Integer#MAX_VALUE}: none)
   */
  public record Options(Duration maxBatchDelay, int maxAwaitingProof) {
    /** Checks the ranges. */
    public Options {
      if (maxBatchDelay.isNegative() || maxAwaitingProof < 1) {
        throw new IllegalArgumentException("a non-negative delay and maxAwaitingProof ≥ 1");
      }
    }
  }

  /**
   * The deployment and the circuit shape batches are sealed for.
   *
   * @param domain the deployment (chain id, rollup)
   * @param shapeName the shape's name (the prover's)
   * @param shape the shape
   */
  public record Circuit(MessageDomain domain, String shapeName, BatchShape shape) {
    /** Checks for null. */
    public Circuit {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(shapeName, "shapeName");
      Objects.requireNonNull(shape, "shape");
    }
  }

  private final StateStoreV2 tree;
  private final V3BatchStore settled;
  private final BatchStore batches;
  private final Circuit circuit;
  private final FeeSchedule fees;
  private final V3Settler settler;
  private CommandTranslator translator; // replaced by restoreTranslator before start

  // stage thread only (set by open)
  private BatchAssembler assembler;
  private long resumeSeq;
  private int resumeSteps;
  private long coreTime;
  private long lastProcessed;

  /**
   * Creates the stage; call {@link #open} before feeding it.
   *
   * @param tree the layout v2 tree at or after genesis (this stage is its only writer)
   * @param settled the settlement's records of its batches
   * @param batches the node's batch store (proving, L1, read side)
   * @param circuit the deployment and shape
   * @param fees the engine's fee rates
   * @param startTime the core's time before the first replayed record
   * @param options time limit and back-pressure
   * @param nanoClock monotonic nanoseconds
   */
  public SettlementV3(
      StateStoreV2 tree,
      V3BatchStore settled,
      BatchStore batches,
      Circuit circuit,
      FeeSchedule fees,
      long startTime,
      Options options,
      LongSupplier nanoClock) {
    super(
        Objects.requireNonNull(options, "options").maxBatchDelay(),
        options.maxAwaitingProof(),
        nanoClock);
    this.tree = Objects.requireNonNull(tree, "tree");
    this.settled = Objects.requireNonNull(settled, "settled");
    this.batches = Objects.requireNonNull(batches, "batches");
    this.circuit = Objects.requireNonNull(circuit, "circuit");
    this.fees = Objects.requireNonNull(fees, "fees");
    this.translator = new CommandTranslator(fees, startTime);
    this.settler = new V3Settler(tree, circuit.domain(), liquidationFeePpm(circuit.shape()));
    this.coreTime = startTime;
  }

  /**
   * The fee rate liquidations are executed at: the shape's where it proves liquidations (the node's
   * start-up checks the engine charges it, {@link V3Shapes#checkLiquidationFee}), else the engine's
   * default (such a shape batches no liquidation).
   */
  private static long liquidationFeePpm(BatchShape shape) {
    return shape.liquidations() > 0
        ? shape.liquidationFeePpm()
        : LiquidationConfig.DEFAULT.feePpm();
  }

  /**
   * Rolls the tree back to where the last stored batch resumes (versions settled after it were
   * never stored in a batch) and positions the stage and the assembler after that batch.
   * Controlling thread, before {@link #start} and the first {@link #offer}.
   *
   * @throws IOException a store cannot be read, the batch store holds a batch the settlement has no
   *     record of, or the tree is behind the stored batches
   * @throws BatchWitnessException the shape is not buildable
   */
  public void open() throws IOException, BatchWitnessException {
    long stored = batches.last().map(BatchRecord::number).orElse(0L);
    for (var r = settled.last(); r.isPresent() && r.get().number() > stored; r = settled.last()) {
      LOG.warn(
          "v3 batch {} has its settlement record but no batch record (a crash fell between the"
              + " two writes): it is sealed again from the replay",
          r.get().number());
      settled.delete(r.get().number());
    }
    var last = settled.last();
    if (last.map(V3BatchRecord::number).orElse(0L) != stored) {
      throw new IOException(
          "the batch store holds batch "
              + stored
              + " but the v3 settlement's last record is "
              + last.map(V3BatchRecord::number).orElse(0L));
    }
    V3BatchRecord.Resume resume =
        last.map(V3BatchRecord::resume).orElse(new V3BatchRecord.Resume(GENESIS_VERSION, 1, 0));
    long v = resume.treeVersion();
    if (tree.version() > v) {
      LOG.warn(
          "v3 state tree at version {} but the last stored batch {} resumes at version {}: rolling"
              + " the tree back",
          tree.version(),
          last.map(V3BatchRecord::number).orElse(0L),
          v);
      tree.rollback(v);
    } else if (tree.version() < v) {
      throw new IOException(
          "the v3 state tree is at version "
              + tree.version()
              + " but the stored batches need version "
              + v);
    }
    long n = last.map(V3BatchRecord::number).orElse(0L);
    assembler =
        new BatchAssembler(
            circuit.shapeName(),
            circuit.shape(),
            circuit.domain(),
            n + 1,
            last.map(V3BatchRecord::priorityAfter).orElse(Fr.ZERO),
            last.map(V3BatchRecord::stateRootAfter).orElse(tree.roots().stateRoot()),
            last.map(V3BatchRecord::batchTime).orElse(0L));
    resumeSeq = resume.seq();
    resumeSteps = resume.stepsBatched();
    positionAfter(n, resume.seq() - 1);
    LOG.info(
        "v3 settlement opens after batch {} (resumes at journal record {}, {} of its steps batched;"
            + " tree version {})",
        n,
        resumeSeq,
        resumeSteps,
        v);
  }

  /**
   * Where a restart from a node snapshot may start: the snapshot must be at or before this journal
   * record (the last one before {@link V3BatchRecord.Resume#seq}, the first command not wholly in a
   * stored batch, which must be translated and settled again). Controlling thread, after {@link
   * #open}.
   *
   * @return the newest journal record a snapshot may be at (0: none, the whole journal replays)
   */
  public long snapshotLimit() {
    return resumeSeq - 1;
  }

  /**
   * Starts the translator at a node snapshot's journal record instead of the journal's first: the
   * live signed orders and the core's time the snapshot's replica stored, the owners bound by the
   * snapshot's accounts. The replay then feeds the records after {@code snapshotSeq}: those before
   * the resume point are only translated, as after a full replay. Controlling thread, after {@link
   * #open}, before {@link #start} and the first {@link #offer}.
   *
   * @param snapshotSeq the snapshot's journal record (≥ 1)
   * @param state the translator state stored with it
   * @param owners each bound account's L1 owner at that record
   * @throws IOException the snapshot is after {@link #snapshotLimit()} (the settlement must
   *     translate and settle again a command the snapshot is past; nothing changed)
   */
  public void restoreTranslator(
      long snapshotSeq, TranslatorState state, java.util.Map<Integer, L1Address> owners)
      throws IOException {
    if (snapshotSeq < 1 || snapshotSeq > snapshotLimit()) {
      throw new IOException(
          "the snapshot at journal record "
              + snapshotSeq
              + " cannot restart the v3 settlement: it resumes at record "
              + resumeSeq
              + " (the first command not wholly in a stored batch), so a snapshot must be at or"
              + " before record "
              + snapshotLimit());
    }
    translator = new CommandTranslator(fees, state, owners);
    coreTime = state.time();
    LOG.info(
        "v3 translator restored from the snapshot at journal record {}: {} live signed orders, {}"
            + " owners, core time {}; records {}..{} are translated only, settling resumes at {}",
        snapshotSeq,
        state.liveOrders(),
        owners.size(),
        state.time(),
        snapshotSeq + 1,
        resumeSeq - 1,
        resumeSeq);
  }

  /**
   * The translator's state (tests compare a restored one with one that followed every record).
   * Stage thread, or any thread after the stage stopped.
   *
   * @return the translator
   */
  CommandTranslator translator() {
    return translator;
  }

  /**
   * Steps executed on the tree since this stage was created (a step settled again after a crash
   * counts again here; each is stored once). Any thread after the stage stopped; the stage thread.
   *
   * @return the count
   */
  public long stepsSettled() {
    return settler.stepsSettled();
  }

  @Override
  protected boolean takesSettledRecords() {
    return true; // the translator follows every command
  }

  @Override
  protected boolean batchOpen() {
    return assembler.openSteps() > 0;
  }

  @Override
  protected boolean batchFull() {
    return false; // the assembler seals a full batch itself
  }

  @Override
  protected void process(SettlementInput in) throws IOException {
    if (in.command() instanceof Tick t) {
      coreTime = t.time();
    }
    V3Translation t = translator.translate(in);
    if (in.seq() < resumeSeq) {
      return; // in a stored batch: translated for the translator's state only
    }
    switch (t) {
      case V3Translation.Unprovable u -> {
        sealIfOpen();
        pause(
            in.seq(),
            "the circuit cannot prove "
                + u.command()
                + "'s "
                + u.record()
                + " record: "
                + u.reason());
      }
      case V3Translation.Steps s -> settle(in.seq(), s);
    }
  }

  private void settle(long seq, V3Translation.Steps s) throws IOException {
    if (s.steps().isEmpty()) {
      lastProcessed = seq;
      return;
    }
    SettledCommand settled;
    try {
      settled = settler.settleForBatch(s);
    } catch (SettlementStoppedException e) {
      sealIfOpen();
      pause(seq, e.getMessage());
      return;
    }
    long versionBefore = tree.version() - 1;
    int skip = seq == resumeSeq ? resumeSteps : 0; // its first steps are in the last batch
    boolean wasOpen = batchOpen();
    List<SealedBatchV3> out;
    try {
      out = assembler.add(settled, skip);
    } catch (UnbatchableStepException e) {
      tree.rollback(versionBefore);
      sealIfOpen();
      pause(seq, e.getMessage());
      return;
    } catch (BatchWitnessException e) {
      throw new IllegalStateException("the encoder refused a batch of settled steps", e);
    }
    for (SealedBatchV3 b : out) {
      SealedBatchV3.StepOrigin lastOrigin = b.origins().get(b.origins().size() - 1);
      int inBatches = lastOrigin.seq() == seq ? lastOrigin.step() + 1 : 0;
      store(b, new V3BatchRecord.Resume(versionBefore, seq, inBatches));
    }
    lastProcessed = seq;
    if (!wasOpen || !out.isEmpty()) {
      batchOpened();
    }
  }

  @Override
  protected void sealOpen() throws IOException {
    SealedBatchV3 b;
    try {
      b = assembler.seal(coreTime);
    } catch (BatchWitnessException e) {
      throw new IllegalStateException("the encoder refused a batch of settled steps", e);
    }
    if (b != null) {
      store(b, new V3BatchRecord.Resume(tree.version(), lastProcessed + 1, 0));
    }
  }

  private void sealIfOpen() throws IOException {
    if (batchOpen()) {
      sealOpen();
    }
  }

  private void store(SealedBatchV3 b, V3BatchRecord.Resume resume) throws IOException {
    V3BatchRecord r = V3BatchRecord.sealed(b, resume);
    settled.put(r); // first: a batch record without it could not be resumed after
    batches.put(V3BatchRecord.batchRecordOf(b));
    resumeSteps = 0;
    LOG.info(
        "v3 batch {} sealed: {} steps, {} priority ops, T {}, journal {}-{}",
        r.number(),
        r.origins().size(),
        r.priorityCount(),
        r.batchTime(),
        r.firstSeq(),
        r.lastSeq());
    sealed(r.number(), resume.seq() - 1);
  }

  @Override
  protected void abortOpen() {
    // the open batch is in memory; its commands' tree versions are rolled back by the next open
  }
}
