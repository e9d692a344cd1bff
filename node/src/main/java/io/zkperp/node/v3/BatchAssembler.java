package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchHeaderV3;
import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.batcher.v3.witness.BatchStep;
import io.zkperp.batcher.v3.witness.BatchWitnessEncoder;
import io.zkperp.batcher.v3.witness.BatchWitnessException;
import io.zkperp.batcher.v3.witness.BatchWitnessV3;
import io.zkperp.batcher.v3.witness.StepGroup;
import io.zkperp.batcher.v3.witness.TickBatchStep;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cuts the settled steps, in execution order, into format v3 batches of one {@link BatchShape} and
 * seals each with the batcher's {@link BatchWitnessEncoder} (the rest of its slots padded with
 * no-ops as the encoder does). The witnesses are the ones {@link V3Settler#settleForBatch} wrote
 * the tree with: nothing is executed twice.
 *
 * <p>The open batch is sealed before a step that does not fit in it: its group's slots are all
 * taken, or it is a tick proven under another batch time T than the open batch's ticks (every tick
 * of a batch is proven under the batch's T). It is also sealed on demand ({@link #seal}). T of a
 * batch is its ticks' T; a batch without ticks takes the time given to {@link #seal}, never less
 * than the last batch's T nor less than 1 (L1 refuses a T that decreases; padding ticks need T ≥
 * 1).
 *
 * <p>A command with a step the shape has no slot for — a type without a slot group, or a group with
 * 0 slots in the shape (a liquidation in v3-tiny) — is refused as a whole ({@link
 * UnbatchableStepException}, naming the step and the shape) before anything of it is added.
 *
 * <p>Confined to one thread (the settlement's).
 */
public final class BatchAssembler {
  private final String shapeName;
  private final BatchShape shape;
  private final MessageDomain domain;
  private final BatchWitnessEncoder encoder = new BatchWitnessEncoder();
  private final List<BatchStep> open = new ArrayList<>();
  private final List<SealedBatchV3.StepOrigin> origins = new ArrayList<>();
  private final Map<StepGroup, Integer> used = new EnumMap<>(StepGroup.class);
  private long nextNumber;
  private long lastTime;
  private long openTickTime = -1;
  private Fr priority;
  private Fr root;

  /**
   * An assembler continuing after a batch (or at genesis).
   *
   * @param shapeName the shape's name (the prover's)
   * @param shape the shape
   * @param domain the deployment
   * @param nextBatchNumber the number of the next batch (1 at genesis)
   * @param priorityBefore the priority-operation hash the next batch starts at (0 at genesis)
   * @param stateRoot the state root the next batch starts at
   * @param lastBatchTime T of the last batch (0 at genesis)
   * @throws BatchWitnessException {@link io.zkperp.batcher.v3.witness.BatchWitnessError#SHAPE}: the
   *     shape is not buildable
   */
  public BatchAssembler(
      String shapeName,
      BatchShape shape,
      MessageDomain domain,
      long nextBatchNumber,
      Fr priorityBefore,
      Fr stateRoot,
      long lastBatchTime)
      throws BatchWitnessException {
    this.shapeName = Objects.requireNonNull(shapeName, "shapeName");
    this.shape = Objects.requireNonNull(shape, "shape");
    shape.check();
    this.domain = Objects.requireNonNull(domain, "domain");
    this.nextNumber = nextBatchNumber;
    this.priority = Objects.requireNonNull(priorityBefore, "priorityBefore");
    this.root = Objects.requireNonNull(stateRoot, "stateRoot");
    this.lastTime = lastBatchTime;
  }

  /**
   * Adds a settled command's steps, sealing the open batch before each step that does not fit.
   *
   * @param command what the settler committed
   * @return the batches sealed on the way (possibly none), in order
   * @throws UnbatchableStepException a step has no slot in the shape (nothing of the command added)
   * @throws BatchWitnessException the encoder refused a batch (an internal inconsistency: the steps
   *     do not chain, or a step does not fit the shape's N or K); the open batch is kept
   */
  public List<SealedBatchV3> add(SettledCommand command)
      throws UnbatchableStepException, BatchWitnessException {
    return add(command, 0);
  }

  /**
   * Adds a settled command's steps from {@code fromStep} on: after a restart, the steps before it
   * are already in the last stored batch (which was cut inside the command). Step origins keep the
   * command's own step indices.
   *
   * @param command what the settler committed
   * @param fromStep the first step to add (0: all)
   * @return the batches sealed on the way (possibly none), in order
   * @throws UnbatchableStepException a step from {@code fromStep} on has no slot in the shape
   *     (nothing of the command added)
   * @throws BatchWitnessException the encoder refused a batch; the open batch is kept
   */
  public List<SealedBatchV3> add(SettledCommand command, int fromStep)
      throws UnbatchableStepException, BatchWitnessException {
    Objects.requireNonNull(command, "command");
    List<BatchStep> ws = command.witnesses();
    if (fromStep < 0 || fromStep > ws.size()) {
      throw new IllegalArgumentException(
          "fromStep " + fromStep + " of a command with " + ws.size() + " steps");
    }
    for (int i = fromStep; i < ws.size(); i++) {
      StepGroup g = StepGroup.ofType(ws.get(i).type());
      if (g == null || shape.slots(g) == 0) {
        throw new UnbatchableStepException(
            command.seq(),
            i,
            command.steps().get(i).getClass().getSimpleName(),
            ws.get(i).type(),
            shapeName,
            shape);
      }
    }
    List<SealedBatchV3> sealed = new ArrayList<>();
    for (int i = fromStep; i < ws.size(); i++) {
      BatchStep w = ws.get(i);
      StepGroup g = StepGroup.ofType(w.type());
      long tickTime = w instanceof TickBatchStep t ? t.witness().batchTime() : -1;
      boolean full = used.getOrDefault(g, 0) == shape.slots(g);
      boolean otherTime = tickTime >= 0 && openTickTime >= 0 && tickTime != openTickTime;
      if (full || otherTime) {
        sealed.add(sealOpen(lastTime));
      }
      open.add(w);
      origins.add(
          new SealedBatchV3.StepOrigin(
              command.seq(), i, command.steps().get(i).getClass().getSimpleName()));
      used.merge(g, 1, Integer::sum);
      if (tickTime >= 0) {
        openTickTime = tickTime;
      }
    }
    return sealed;
  }

  /**
   * Seals the open batch on demand (a time limit, the end of a run).
   *
   * @param time T for a batch without ticks (the engine's clock); a batch with ticks takes theirs
   * @return the sealed batch, or null when no step is open
   * @throws BatchWitnessException the encoder refused the batch; the open batch is kept
   */
  public SealedBatchV3 seal(long time) throws BatchWitnessException {
    return open.isEmpty() ? null : sealOpen(time);
  }

  private SealedBatchV3 sealOpen(long time) throws BatchWitnessException {
    long t = openTickTime >= 0 ? openTickTime : Math.max(Math.max(time, lastTime), 1);
    BatchHeaderV3 header = new BatchHeaderV3(domain, nextNumber, t, priority, root);
    BatchWitnessV3 w = encoder.encode(shape, header, open);
    SealedBatchV3 batch = new SealedBatchV3(shapeName, header, w, origins);
    nextNumber++;
    lastTime = t;
    priority = batch.priorityAfter();
    root = w.newRoot();
    open.clear();
    origins.clear();
    used.clear();
    openTickTime = -1;
    return batch;
  }

  /**
   * How many steps the open batch holds.
   *
   * @return the count
   */
  public int openSteps() {
    return open.size();
  }

  /**
   * The number the next sealed batch gets.
   *
   * @return the number
   */
  public long nextBatchNumber() {
    return nextNumber;
  }

  /**
   * The state root the open batch starts at (the last sealed batch's new root).
   *
   * @return R₀ of the open batch
   */
  public Fr stateRoot() {
    return root;
  }

  /**
   * The priority-operation hash the open batch starts at.
   *
   * @return P₀ of the open batch
   */
  public Fr priorityHash() {
    return priority;
  }
}
