package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.witness.BatchHeaderV3;
import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.batcher.v3.witness.BatchStep;
import io.zkperp.batcher.v3.witness.BatchWitnessEncoder;
import io.zkperp.batcher.v3.witness.BatchWitnessError;
import io.zkperp.batcher.v3.witness.BatchWitnessException;
import io.zkperp.batcher.v3.witness.StepElements;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BatchWitnessEncoder}'s refusals on batches of {@code test-vectors/batch-v3.json} executed
 * on a real RocksDB {@link StateStoreV2}: each is a {@link BatchWitnessException} with its reason
 * and the step at fault, nothing is returned, the executed batch's roots are untouched by the
 * encoder and, once the batch is aborted, the store is at the initial root; the same steps with the
 * vector's shape and header still encode.
 */
class BatchWitnessRefusalsTest {
  @TempDir Path dir;

  /** A scenario's steps executed on an open batch of a fresh store. */
  private record Executed(
      StateStoreV2 store,
      StateBatchV2 batch,
      StateRootsV2 initial,
      BatchShape shape,
      BatchHeaderV3 header,
      List<BatchStep> steps) {}

  private Executed execute(String name) throws Exception {
    JsonNode file = BatchV3Vectors.BATCHES;
    for (JsonNode sc : file.get("scenarios")) {
      if (!sc.get("name").asText().equals(name)) {
        continue;
      }
      StateStoreV2 s = StateStoreV2.open(dir.resolve(name), TradeVectors.options());
      StateRootsV2 initial = TradeVectors.initialState(s, sc, name);
      StateBatchV2 b = s.beginBatch();
      BatchV3Vectors.Executions ex = BatchV3Vectors.Executions.of(BatchV3Vectors.domain(file));
      List<BatchStep> steps = new ArrayList<>();
      for (JsonNode t : sc.get("steps")) {
        steps.add(BatchV3Vectors.execute(ex, b, t, BatchV3Vectors.batchTime(sc)));
      }
      return new Executed(
          s, b, initial, BatchV3Vectors.shape(sc), BatchV3Vectors.header(file, sc), steps);
    }
    throw new AssertionError("no scenario " + name);
  }

  private static BatchWitnessException refused(
      Executed e, BatchShape shape, BatchHeaderV3 header, List<BatchStep> steps) {
    StateRootsV2 before = e.batch().roots();
    BatchWitnessException x =
        catchThrowableOfType(
            BatchWitnessException.class,
            () -> new BatchWitnessEncoder().encode(shape, header, steps));
    assertThat(x).as("refused").isNotNull();
    assertThat(e.batch().roots()).as("the encoder writes nothing").isEqualTo(before);
    return x;
  }

  private static BatchShape withShape(
      BatchShape s, int deposits, int transfers, int forcedWithdrawals, int k) {
    return new BatchShape(
        s.trades(),
        deposits,
        s.withdrawals(),
        transfers,
        forcedWithdrawals,
        s.oracleTicks(),
        s.fundingTicks(),
        s.n(),
        k,
        s.reportSlots());
  }

  private static BatchHeaderV3 withHeader(BatchHeaderV3 h, MessageDomain d, long t, Fr root) {
    return new BatchHeaderV3(d, h.batchNumber(), t, h.priorityBefore(), root);
  }

  @Test
  void collateralBatchRefusalsAreTypedAndChangeNothing() throws Exception {
    Executed e = execute("collateral-only");
    try (StateStoreV2 store = e.store()) {
      BatchShape shape = e.shape();
      BatchHeaderV3 h = e.header();
      // steps: deposit, withdrawal, forced withdrawal, transfer
      BatchWitnessException x = refused(e, withShape(shape, 2, 0, 2, 1), h, e.steps());
      assertThat(x.error()).isEqualTo(BatchWitnessError.TOO_MANY_STEPS);
      assertThat(x.step()).isEqualTo(3);

      x = refused(e, withShape(shape, 0, 0, 0, 1), h, e.steps());
      assertThat(x.error()).isEqualTo(BatchWitnessError.TOO_MANY_STEPS);
      assertThat(x.step()).as("more steps than slots: the batch").isEqualTo(-1);

      x = refused(e, withShape(shape, 2, 1, 2, 0), h, e.steps());
      assertThat(x.error()).as("K = 0 with collateral slots").isEqualTo(BatchWitnessError.SHAPE);

      MessageDomain other = MessageDomain.of(h.domain().chainId() + 1, L1Address.ZERO);
      x = refused(e, shape, withHeader(h, other, h.batchTime(), h.stateRootBefore()), e.steps());
      assertThat(x.error()).isEqualTo(BatchWitnessError.DOMAIN);
      assertThat(x.step()).as("the deposit is not signed; the withdrawal is").isEqualTo(1);

      x = refused(e, shape, withHeader(h, h.domain(), h.batchTime(), Fr.ONE), e.steps());
      assertThat(x.error()).isEqualTo(BatchWitnessError.ROOTS);
      assertThat(x.step()).isZero();

      List<BatchStep> swapped = new ArrayList<>(e.steps());
      swapped.set(1, e.steps().get(2));
      swapped.set(2, e.steps().get(1));
      x = refused(e, shape, h, swapped);
      assertThat(x.error()).isEqualTo(BatchWitnessError.ROOTS);
      assertThat(x.step()).isEqualTo(1);

      BatchStep unknown = new UnsupportedStep(e.steps().get(3).newRoot());
      List<BatchStep> withUnsupported = new ArrayList<>(e.steps());
      withUnsupported.add(unknown);
      x = refused(e, withShape(shape, 2, 2, 2, 1), h, withUnsupported);
      assertThat(x.error()).isEqualTo(BatchWitnessError.UNSUPPORTED_TYPE);
      assertThat(x.step()).isEqualTo(4);

      BatchShape nineEntries = new BatchShape(1, 2, 2, 1, 2, 0, 0, 9, 1, 0);
      x = refused(e, nineEntries, h, e.steps());
      assertThat(x.error()).as("N = 9: a trade reads at most 8").isEqualTo(BatchWitnessError.SHAPE);

      assertThat(new BatchWitnessEncoder().encode(shape, h, e.steps()).newRoot())
          .as("the same steps with the vector's shape and header")
          .isEqualTo(e.batch().roots().stateRoot());
      e.batch().abort();
      assertThat(store.roots()).isEqualTo(e.initial());
    }
  }

  @Test
  void ticksAndMarginRefusals() throws Exception {
    Executed e = execute("ticks-and-collateral");
    try (StateStoreV2 store = e.store()) {
      BatchShape shape = e.shape();
      BatchHeaderV3 h = e.header();
      // steps: oracle tick, deposit, funding tick, withdrawal by account 20 (markets 0, 1), ...
      BatchWitnessException x =
          refused(
              e,
              shape,
              withHeader(h, h.domain(), h.batchTime() + 1, h.stateRootBefore()),
              e.steps());
      assertThat(x.error()).isEqualTo(BatchWitnessError.BATCH_TIME);
      assertThat(x.step()).isZero();

      x = refused(e, shape, withHeader(h, h.domain(), 0, h.stateRootBefore()), e.steps());
      assertThat(x.error()).as("T = 0 with tick slots").isEqualTo(BatchWitnessError.BATCH_TIME);

      MessageDomain other =
          MessageDomain.of(h.domain().chainId(), L1Address.fromHex("0x" + "11".repeat(20)));
      x = refused(e, shape, withHeader(h, other, h.batchTime(), h.stateRootBefore()), e.steps());
      assertThat(x.error()).isEqualTo(BatchWitnessError.DOMAIN);
      assertThat(x.step()).as("the oracle tick's reports").isZero();

      x = refused(e, withShape(shape, 2, 2, 2, 1), h, e.steps());
      assertThat(x.error())
          .as("a position in market 1, a table of 1")
          .isEqualTo(BatchWitnessError.SHAPE);
      assertThat(x.step()).isEqualTo(3);

      BatchShape oneReport = new BatchShape(0, 2, 2, 2, 2, 2, 2, 0, 2, 1);
      x = refused(e, oneReport, h, e.steps());
      assertThat(x.error()).as("two reports, one slot").isEqualTo(BatchWitnessError.SHAPE);
      assertThat(x.step()).isZero();
      e.batch().abort();
      assertThat(store.roots()).isEqualTo(e.initial());
    }
  }

  /**
   * A step of a type without a slot group (type 13: 10, the funding period start, and 12, the
   * forced trade, have one since the later groups; LiquidationBatchVectorsTest refuses the former
   * in a shape without its group).
   */
  private record UnsupportedStep(Fr root) implements BatchStep {
    @Override
    public int type() {
      return 13;
    }

    @Override
    public byte[] publicData() {
      return new byte[] {13};
    }

    @Override
    public Fr oldRoot() {
      return root;
    }

    @Override
    public Fr newRoot() {
      return root;
    }

    @Override
    public Fr priorityOperation() {
      return null;
    }

    @Override
    public StepElements elements(BatchShape shape, int index) {
      return new StepElements();
    }
  }
}
