package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.liquidation.LiquidationExecution;
import io.zkperp.batcher.v3.ticks.FundingPeriodStart;
import io.zkperp.batcher.v3.witness.BatchHeaderV3;
import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.batcher.v3.witness.BatchStep;
import io.zkperp.batcher.v3.witness.BatchWitnessEncoder;
import io.zkperp.batcher.v3.witness.BatchWitnessError;
import io.zkperp.batcher.v3.witness.BatchWitnessException;
import io.zkperp.batcher.v3.witness.BatchWitnessV3;
import io.zkperp.batcher.v3.witness.LiquidationBatchStep;
import io.zkperp.batcher.v3.witness.StepElements;
import io.zkperp.batcher.v3.witness.TickBatchStep;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.vectors.TestVectors;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every batch of {@code test-vectors/batch-v3-liquidations.json} (sealed by {@code
 * batchv3.Seal}: liquidation fills, insurance takeovers, deleveragings and funding period starts
 * among trades and ticks) with the Java executions on a real RocksDB {@link StateStoreV2} and seals
 * it with {@link BatchWitnessEncoder}: every step's root, public data and elements (name by name)
 * and the tables, the commitment bytes, the public input and the encoded witness (header extension
 * included) are Go's byte for byte. The later-group refusals are typed and write nothing.
 */
class LiquidationBatchVectorsTest {
  static final JsonNode FILE = TestVectors.load("batch-v3-liquidations.json");

  @TempDir Path dir;

  /** A scenario's steps executed on an open batch of a fresh store. */
  private record Executed(
      StateStoreV2 store,
      StateBatchV2 batch,
      StateRootsV2 initial,
      BatchShape shape,
      BatchHeaderV3 header,
      List<BatchStep> steps) {}

  /** Executes one step of the file: the later types here, the others as batch-v3.json's. */
  private static BatchStep execute(
      BatchV3Vectors.Executions ex, long feePpm, StateBatchV2 b, JsonNode t, long batchTime)
      throws Exception {
    return switch (t.get("type").asText()) {
      case "liquidation", "takeover", "deleveraging" ->
          LiquidationBatchStep.execute(
              new LiquidationExecution(ex.domain(), feePpm),
              ex.domain(),
              feePpm,
              b,
              LiquidationStepsVectorsTest.transaction(t));
      case "funding-period-start" ->
          new TickBatchStep(
              ex.ticks()
                  .executePeriodStart(
                      b,
                      new FundingPeriodStart(
                          t.get("market").asInt(),
                          Long.parseLong(t.get("now").asText()),
                          batchTime)));
      default -> BatchV3Vectors.execute(ex, b, t, batchTime);
    };
  }

  private Executed execute(JsonNode sc) throws Exception {
    String name = sc.get("name").asText();
    StateStoreV2 s = StateStoreV2.open(dir.resolve(name), TradeVectors.options());
    StateRootsV2 initial = TradeVectors.initialState(s, sc, name);
    StateBatchV2 b = s.beginBatch();
    BatchV3Vectors.Executions ex = BatchV3Vectors.Executions.of(BatchV3Vectors.domain(FILE));
    BatchShape shape = BatchV3Vectors.shape(sc);
    List<BatchStep> steps = new ArrayList<>();
    for (JsonNode t : sc.get("steps")) {
      BatchStep step = execute(ex, shape.liquidationFeePpm(), b, t, BatchV3Vectors.batchTime(sc));
      String note = name + ": " + t.get("note").asText();
      assertThat(step.newRoot()).as(note).isEqualTo(TradeVectors.fr(t.get("root")));
      assertThat(BatchV3Vectors.hexString(step.publicData()))
          .as(note + ": public data")
          .isEqualTo(t.get("publicData").asText());
      steps.add(step);
    }
    return new Executed(s, b, initial, shape, BatchV3Vectors.header(FILE, sc), steps);
  }

  private JsonNode scenario(String name) {
    for (JsonNode sc : FILE.get("scenarios")) {
      if (sc.get("name").asText().equals(name)) {
        return sc;
      }
    }
    throw new AssertionError("no scenario " + name);
  }

  @Test
  void everyBatchAndEveryStepIsGosByteForByte() throws Exception {
    BatchWitnessEncoder encoder = new BatchWitnessEncoder();
    int identical = 0;
    List<String> types = new ArrayList<>();
    for (JsonNode sc : FILE.get("scenarios")) {
      String name = sc.get("name").asText();
      Executed e = execute(sc);
      try (StateStoreV2 store = e.store()) {
        assertThat(e.shape().hasLaterGroups()).as(name).isTrue();
        JsonNode steps = sc.get("steps");
        for (int i = 0; i < e.steps().size(); i++) {
          JsonNode t = steps.get(i);
          String note = name + ": " + t.get("note").asText();
          StepElements got = e.steps().get(i).elements(e.shape(), i);
          JsonNode want = t.get("elements");
          assertThat(got.size()).as(note + ": element count").isEqualTo(want.size());
          for (int k = 0; k < want.size(); k++) {
            assertThat(got.names().get(k))
                .as(note + ": name " + k)
                .isEqualTo(want.get(k).get("name").asText());
            assertThat(got.values().get(k))
                .as(note + ": " + want.get(k).get("name").asText())
                .isEqualTo(TradeVectors.fr(want.get(k).get("value")));
          }
          types.add(t.get("type").asText());
        }
        BatchWitnessV3 w = encoder.encode(e.shape(), e.header(), e.steps());
        assertThat(w.roots()).as(name + ": roots").isEqualTo(BatchV3Vectors.table(sc.get("roots")));
        assertThat(w.priority())
            .as(name + ": priority")
            .isEqualTo(BatchV3Vectors.table(sc.get("priority")));
        assertThat(w.priorityCount()).as(name).isEqualTo(sc.get("priorityCount").asInt());
        assertThat(BatchV3Vectors.hexString(w.commitment()))
            .as(name + ": commitment")
            .isEqualTo(sc.get("commitment").asText());
        assertThat(w.publicInput())
            .as(name + ": public input")
            .isEqualTo(TradeVectors.fr(sc.get("publicInput")));
        assertThat(encoder.encodedSize(e.shape())).isEqualTo(w.witness().length);
        assertThat(BatchV3Vectors.hexString(w.witness()))
            .as(name + ": witness")
            .isEqualTo(sc.get("witness").asText());
        assertThat(w.newRoot()).isEqualTo(e.batch().roots().stateRoot());
        identical++;
        e.batch().abort();
        assertThat(store.roots()).isEqualTo(e.initial());
      }
    }
    assertThat(identical).isEqualTo(3);
    assertThat(types)
        .contains("liquidation", "takeover", "deleveraging", "funding-period-start", "trade");
  }

  private static BatchWitnessException refused(Executed e, BatchShape shape, BatchHeaderV3 h) {
    StateRootsV2 before = e.batch().roots();
    BatchWitnessException x =
        catchThrowableOfType(
            BatchWitnessException.class,
            () -> new BatchWitnessEncoder().encode(shape, h, e.steps()));
    assertThat(x).as("refused").isNotNull();
    assertThat(e.batch().roots()).as("the encoder writes nothing").isEqualTo(before);
    return x;
  }

  private static BatchShape with(
      BatchShape s, int liquidations, int takeovers, int deleverages, int periodStarts, long fee) {
    return new BatchShape(
        s.trades(),
        s.deposits(),
        s.withdrawals(),
        s.transfers(),
        s.forcedWithdrawals(),
        s.oracleTicks(),
        s.fundingTicks(),
        liquidations,
        takeovers,
        deleverages,
        periodStarts,
        s.n(),
        s.k(),
        s.reportSlots(),
        fee);
  }

  @Test
  void laterGroupRefusalsAreTypedAndChangeNothing() throws Exception {
    Executed e = execute(scenario("liquidation-sequence"));
    try (StateStoreV2 store = e.store()) {
      BatchShape s = e.shape();
      BatchHeaderV3 h = e.header();
      // steps: period start, trade, oracle tick, liquidation, takeover, funding tick, deleveraging
      BatchWitnessException x = refused(e, with(s, 2, 2, 1, 0, s.liquidationFeePpm()), h);
      assertThat(x.error()).as("no period-start group").isEqualTo(BatchWitnessError.TOO_MANY_STEPS);
      assertThat(x.step()).isZero();
      x = refused(e, with(s, 0, 2, 1, 1, 0), h);
      assertThat(x.error()).as("no liquidation group").isEqualTo(BatchWitnessError.TOO_MANY_STEPS);
      assertThat(x.step()).isEqualTo(3);
      x = refused(e, with(s, 2, 0, 1, 1, s.liquidationFeePpm()), h);
      assertThat(x.error()).as("no takeover group").isEqualTo(BatchWitnessError.TOO_MANY_STEPS);
      assertThat(x.step()).isEqualTo(4);
      x = refused(e, with(s, 2, 2, 0, 1, s.liquidationFeePpm()), h);
      assertThat(x.error()).as("no deleveraging group").isEqualTo(BatchWitnessError.TOO_MANY_STEPS);
      assertThat(x.step()).isEqualTo(6);
      x = refused(e, with(s, 2, 2, 1, 1, 20_000), h);
      assertThat(x.error()).as("another fee rate").isEqualTo(BatchWitnessError.LIQUIDATION_FEE);
      assertThat(x.step()).isEqualTo(3);
      x = refused(e, with(s, 0, 2, 1, 1, 10_000), h);
      assertThat(x.error())
          .as("a fee rate without liquidation slots")
          .isEqualTo(BatchWitnessError.SHAPE);
      x =
          refused(
              e,
              s,
              new BatchHeaderV3(
                  h.domain(), h.batchNumber(), 0, h.priorityBefore(), h.stateRootBefore()));
      assertThat(x.error())
          .as("T = 0 with period-start slots")
          .isEqualTo(BatchWitnessError.BATCH_TIME);
      MessageDomain other = MessageDomain.of(h.domain().chainId() + 1, h.domain().rollupAddress());
      x =
          refused(
              e,
              s,
              new BatchHeaderV3(
                  other, h.batchNumber(), h.batchTime(), h.priorityBefore(), h.stateRootBefore()));
      assertThat(x.error()).as("another deployment").isEqualTo(BatchWitnessError.DOMAIN);
      // the vector's shape still encodes the same steps
      assertThat(new BatchWitnessEncoder().encode(s, h, e.steps()).newRoot())
          .isEqualTo(e.batch().roots().stateRoot());
      e.batch().abort();
      assertThat(store.roots()).isEqualTo(e.initial());
    }
  }
}
