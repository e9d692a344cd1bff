package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Seals executed steps into a format v3 batch exactly as the Go reference does ({@code
 * batchv3.Seal} then {@code Encode}; docs/batch-format.md, "Format v3"): the root table from the
 * steps' roots, the priority chain extended by {@code Poseidon2.compress(P, op)} for each step that
 * consumes an operation, each step's record (public data zero-padded to the shape's width), the
 * slots — each step in its type's group in execution order with σ = its position, then the no-op
 * slots at the remaining positions group after group — and the header, tables, records and slots in
 * big-endian ({@code ZKW3}, version 3), with the commitment bytes and the public input. A shape
 * with a later group (liquidations, takeovers, deleveragings, funding period starts) has the header
 * extension after the fixed header: the four later group sizes and the liquidation fee rate; a
 * shape without one encodes exactly as before the later groups existed.
 *
 * <p>Every check runs before anything is written; a refused batch is a {@link
 * BatchWitnessException} and no output. A trade slot holds {@link TradeStepElements}'s elements, a
 * liquidation fill's {@link LiquidationStepElements}'s, a takeover's or deleveraging's {@link
 * MoveStepElements}'s. A step of a group the shape has no slot for is refused with {@link
 * BatchWitnessError#TOO_MANY_STEPS}, as Go's {@code ErrTooManySteps}.
 *
 * <p>Immutable; any thread.
 */
public final class BatchWitnessEncoder {
  /** The witness's magic. */
  public static final byte[] MAGIC = {'Z', 'K', 'W', '3'};

  /** The format version. */
  public static final int VERSION = 3;

  /**
   * The bytes before the tables: magic, version, 7 group sizes, N, K, report slots, batch number,
   * T, priority count.
   */
  public static final int FIXED_HEADER_BYTES = 4 + 2 + 2 * 7 + 3 + 8 + 8 + 4;

  /**
   * The header extension of a shape with a later group ({@link BatchShape#hasLaterGroups}), right
   * after the fixed header: the 4 later group sizes (2 bytes each) and the liquidation fee rate (4
   * bytes, ppm), as {@code batchv3.HeaderExtensionSize}.
   */
  public static final int HEADER_EXTENSION_BYTES = 2 * 4 + 4;

  /**
   * The forced-trade group's size (2 bytes) right after the header extension, in a shape with
   * forced-trade slots only, as {@code batchv3.ForcedTradeHeaderSize}.
   */
  public static final int FORCED_TRADE_HEADER_BYTES = 2;

  /** The encoder (stateless). */
  public BatchWitnessEncoder() {}

  /**
   * The elements of one slot of a group in a shape.
   *
   * @param group the group
   * @param shape the shape
   * @return the element count
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: N or K outside the range of a
   *     trade, liquidation, takeover or deleveraging step
   */
  public int elementsPerSlot(StepGroup group, BatchShape shape) throws BatchWitnessException {
    return switch (group) {
      case TRADE -> {
        try {
          yield TradeStepElements.count(shape.n(), shape.k());
        } catch (TradeElementsException e) {
          throw new BatchWitnessException(BatchWitnessError.SHAPE, -1, e.getMessage());
        }
      }
      case DEPOSIT, WITHDRAWAL, TRANSFER, FORCED_WITHDRAWAL ->
          CollateralStepElements.count(group, shape.k());
      case ORACLE_TICK -> TickStepElements.oracleCount(shape.reportSlots());
      case FUNDING_TICK -> TickStepElements.fundingCount();
      case LIQUIDATION -> LiquidationStepElements.count(shape.n(), shape.k());
      case TAKEOVER, DELEVERAGING -> MoveStepElements.count(shape.n(), shape.k());
      case FUNDING_PERIOD_START -> TickStepElements.periodStartCount();
      case FORCED_TRADE -> ForcedTradeStepElements.count(shape.n(), shape.k());
    };
  }

  /**
   * The length of the header of a shape, the offset of its root table ({@code
   * batchv3.EncodedHeaderSize}): the fixed header, plus the extension when the shape has a later
   * group, plus the forced-trade group's size when it has forced-trade slots.
   *
   * @param shape the shape
   * @return bytes
   */
  public int headerSize(BatchShape shape) {
    return FIXED_HEADER_BYTES
        + (shape.hasLaterGroups() ? HEADER_EXTENSION_BYTES : 0)
        + (shape.forcedTrades() > 0 ? FORCED_TRADE_HEADER_BYTES : 0);
  }

  /**
   * The length of an encoded witness of a shape ({@code batchv3.EncodedSize}).
   *
   * @param shape a valid shape
   * @return bytes
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}
   */
  public int encodedSize(BatchShape shape) throws BatchWitnessException {
    shape.check();
    long s = shape.steps();
    long size = headerSize(shape) + 2 * 32 * (s + 1) + s * shape.recordSize();
    for (StepGroup g : StepGroup.values()) {
      if (shape.slots(g) > 0) {
        size += (long) shape.slots(g) * (3 + 32L * elementsPerSlot(g, shape));
      }
    }
    if (size > Integer.MAX_VALUE) {
      throw new BatchWitnessException(BatchWitnessError.SHAPE, -1, size + " bytes");
    }
    return (int) size;
  }

  /** One slot: σ and the live step's elements (null for a no-op). */
  private record Slot(int index, StepElements elements) {}

  /**
   * Seals and encodes a batch.
   *
   * @param shape the shape
   * @param header the header (deployment, number, T, P₀, R₀)
   * @param steps the executed steps in execution order
   * @return the batch witness
   * @throws BatchWitnessException the shape is not buildable, a group has more steps than slots, a
   *     step is of another deployment or batch time, does not fit the shape, is of an unsupported
   *     type, or does not start at the root the previous step ended at; nothing is returned
   */
  public BatchWitnessV3 encode(
      BatchShape shape, BatchHeaderV3 header, List<? extends BatchStep> steps)
      throws BatchWitnessException {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(steps, "steps");
    int size = encodedSize(shape);
    int s = shape.steps();
    int width = shape.recordSize();
    if (steps.size() > s) {
      throw new BatchWitnessException(
          BatchWitnessError.TOO_MANY_STEPS, -1, steps.size() + " steps, " + s + " slots");
    }
    if (shape.oracleTicks() + shape.fundingTicks() + shape.periodStarts() > 0
        && header.batchTime() == 0) {
      throw new BatchWitnessException(
          BatchWitnessError.BATCH_TIME,
          -1,
          "T = 0 with tick or period-start slots (the padding ticks and period start need T ≥ 1)");
    }
    List<Fr> roots = new ArrayList<>(s + 1);
    List<Fr> priority = new ArrayList<>(s + 1);
    List<byte[]> records = new ArrayList<>(s);
    Map<StepGroup, List<Slot>> slots = new EnumMap<>(StepGroup.class);
    for (StepGroup g : StepGroup.values()) {
      slots.put(g, new ArrayList<>());
    }
    roots.add(header.stateRootBefore());
    priority.add(header.priorityBefore());
    int count = 0;
    for (int i = 0; i < steps.size(); i++) {
      BatchStep step = Objects.requireNonNull(steps.get(i), "step");
      StepGroup g = StepGroup.ofType(step.type());
      if (g == null) {
        throw new BatchWitnessException(
            BatchWitnessError.UNSUPPORTED_TYPE, i, "type " + step.type() + " has no slot group");
      }
      if (shape.slots(g) == 0) {
        throw new BatchWitnessException(
            BatchWitnessError.TOO_MANY_STEPS, i, "the shape has no " + g + " slot group");
      }
      if (slots.get(g).size() == shape.slots(g)) {
        throw new BatchWitnessException(
            BatchWitnessError.TOO_MANY_STEPS, i, shape.slots(g) + " slots of " + g);
      }
      step.checkHeader(header, i);
      if (!step.oldRoot().equals(roots.get(i))) {
        throw new BatchWitnessException(
            BatchWitnessError.ROOTS,
            i,
            "starts at " + step.oldRoot() + ", the batch is at " + roots.get(i));
      }
      byte[] data = step.publicData();
      if (data.length == 0 || data.length > g.recordBytes() || (data[0] & 0xff) != g.type()) {
        throw new BatchWitnessException(
            BatchWitnessError.SHAPE, i, "public data of " + data.length + " bytes for " + g);
      }
      StepElements e = step.elements(shape, i);
      if (e.size() != elementsPerSlot(g, shape)) {
        throw new BatchWitnessException(
            BatchWitnessError.SHAPE,
            i,
            e.size() + " elements, a " + g + " slot holds " + elementsPerSlot(g, shape));
      }
      roots.add(step.newRoot());
      Fr op = step.priorityOperation();
      priority.add(op == null ? priority.get(i) : Poseidon2.compress(priority.get(i), op));
      count += op == null ? 0 : 1;
      records.add(Arrays.copyOf(data, width));
      slots.get(g).add(new Slot(i, e));
    }
    int pos = steps.size();
    for (StepGroup g : StepGroup.values()) { // padding, group after group
      while (slots.get(g).size() < shape.slots(g)) {
        roots.add(roots.get(pos));
        priority.add(priority.get(pos));
        records.add(new byte[width]);
        slots.get(g).add(new Slot(pos++, null));
      }
    }
    byte[] commitment =
        BatchCommitmentV3.bytes(
            roots, priority, header.batchNumber(), header.batchTime(), count, records);
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(MAGIC).putShort((short) VERSION);
    for (StepGroup g : StepGroup.values()) {
      if (!g.isLater()) {
        b.putShort((short) shape.slots(g));
      }
    }
    b.put((byte) shape.n()).put((byte) shape.k()).put((byte) shape.reportSlots());
    b.putLong(header.batchNumber()).putLong(header.batchTime()).putInt(count);
    if (shape.hasLaterGroups()) {
      for (StepGroup g : StepGroup.values()) {
        if (g.inExtension()) {
          b.putShort((short) shape.slots(g));
        }
      }
      b.putInt((int) shape.liquidationFeePpm());
    }
    if (shape.forcedTrades() > 0) {
      b.putShort((short) shape.forcedTrades());
    }
    roots.forEach(r -> b.put(r.toBytes()));
    priority.forEach(p -> b.put(p.toBytes()));
    records.forEach(b::put);
    for (StepGroup g : StepGroup.values()) {
      int per = shape.slots(g) > 0 ? elementsPerSlot(g, shape) : 0;
      for (Slot slot : slots.get(g)) {
        b.putShort((short) slot.index()).put((byte) (slot.elements() == null ? 1 : 0));
        b.put(slot.elements() == null ? new byte[32 * per] : slot.elements().encode());
      }
    }
    return new BatchWitnessV3(
        shape,
        roots,
        priority,
        count,
        commitment,
        BatchCommitmentV3.publicInput(commitment),
        b.array());
  }
}
