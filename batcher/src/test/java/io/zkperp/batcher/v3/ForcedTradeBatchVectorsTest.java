package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.witness.BatchHeaderV3;
import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.batcher.v3.witness.BatchStep;
import io.zkperp.batcher.v3.witness.BatchWitnessEncoder;
import io.zkperp.batcher.v3.witness.ForcedTradeBatchStep;
import io.zkperp.batcher.v3.witness.StepElements;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.vectors.TestVectors;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decides every forced trade of {@code test-vectors/forced-trade-batch.json} (Go's {@code
 * batchv3.Seal} over {@code reference.Apply}) with {@link ForcedTradeExecution} on a real RocksDB
 * {@link StateStoreV2} from the file's initial state: each reason, record (zero-padded to the
 * batch's record size), operation hash, state root after the step and slot element (name by name)
 * is Go's; {@link BatchWitnessEncoder} seals them into Go's roots, priority chain, commitment,
 * public input and encoded witness byte for byte. Requests the decision does not decide are typed
 * and write nothing.
 */
class ForcedTradeBatchVectorsTest {
  static final JsonNode FILE = TestVectors.load("forced-trade-batch.json");

  @TempDir Path dir;

  static ForcedTradeRequest request(JsonNode c) {
    return new ForcedTradeRequest(
        c.get("accountA").asLong(),
        c.get("accountB").asLong(),
        c.get("market").asInt(),
        c.get("aBuys").asBoolean(),
        TradeVectors.num(c.get("size")),
        TradeVectors.num(c.get("amount")),
        TradeVectors.num(c.get("nonce")),
        L1Address.fromHex(c.get("ownerA").asText()),
        TradeVectors.fr(c.get("rx")),
        TradeVectors.fr(c.get("ry")),
        TradeVectors.fr(c.get("s")));
  }

  private static ForcedTradeRequest withOwner(ForcedTradeRequest r, long a, L1Address owner) {
    return new ForcedTradeRequest(
        a,
        r.accountB(),
        r.market(),
        r.aBuys(),
        r.size(),
        r.amount(),
        r.nonce(),
        owner,
        r.rx(),
        r.ry(),
        r.s());
  }

  /** The file's shape: Go's {@code batchv3.Shape} JSON. */
  static BatchShape shape() {
    JsonNode s = FILE.get("shape");
    return new BatchShape(
        s.get("Trades").asInt(),
        s.get("Deposits").asInt(),
        s.get("Withdrawals").asInt(),
        s.get("Transfers").asInt(),
        s.get("ForcedWithdrawals").asInt(),
        s.get("OracleTicks").asInt(),
        s.get("FundingTicks").asInt(),
        s.path("Liquidations").asInt(),
        s.path("Takeovers").asInt(),
        s.path("Deleverages").asInt(),
        s.path("PeriodStarts").asInt(),
        s.get("N").asInt(),
        s.get("K").asInt(),
        s.get("ReportSlots").asInt(),
        s.path("LiquidationFeePpm").asLong(),
        s.get("ForcedTrades").asInt());
  }

  static BatchHeaderV3 header(MessageDomain domain) {
    JsonNode h = FILE.get("header");
    return new BatchHeaderV3(
        domain,
        Long.parseUnsignedLong(h.get("batchNumber").asText()),
        Long.parseUnsignedLong(h.get("batchTime").asText()),
        TradeVectors.fr(h.get("priorityBefore")),
        TradeVectors.fr(h.get("oldRoot")));
  }

  @Test
  void everyForcedTradeIsDecidedAndRecordedAsGo() throws Exception {
    MessageDomain domain = BatchV3Vectors.domain(FILE);
    ForcedTradeExecution ex = new ForcedTradeExecution(domain);
    int recordSize = FILE.get("recordSize").asInt();
    try (StateStoreV2 s = StateStoreV2.open(dir.resolve("ft"), TradeVectors.options())) {
      StateRootsV2 initial = TradeVectors.initialState(s, FILE, "forced-trade-batch");
      assertThat(initial.stateRoot()).isEqualTo(TradeVectors.fr(FILE.get("header").get("oldRoot")));
      StateBatchV2 b = s.beginBatch();
      List<ForcedTradeReason> reasons = new ArrayList<>();
      List<BatchStep> steps = new ArrayList<>();
      BatchShape shape = shape();
      for (JsonNode c : FILE.get("cases")) {
        String note = c.get("name").asText();
        Fr before = b.roots().stateRoot();
        ForcedTradeOutcome out = ex.execute(b, request(c));
        steps.add(new ForcedTradeBatchStep(out, domain));
        StepElements got = steps.getLast().elements(shape, steps.size() - 1);
        JsonNode want = c.get("elements");
        assertThat(got.size()).as(note + ": element count").isEqualTo(want.size());
        for (int k = 0; k < want.size(); k++) {
          String name = want.get(k).get("name").asText();
          assertThat(got.names().get(k)).as(note + ": name " + k).isEqualTo(name);
          assertThat(got.values().get(k))
              .as(note + ": " + name)
              .isEqualTo(TradeVectors.fr(want.get(k).get("value")));
        }
        assertThat(out.reason().code()).as(note).isEqualTo(c.get("reason").asInt());
        assertThat(out.record()).as(note).hasSize(ForcedTradeExecution.RECORD_BYTES);
        assertThat(BatchV3Vectors.hexString(Arrays.copyOf(out.record(), recordSize)))
            .as(note + ": record")
            .isEqualTo(c.get("record").asText());
        assertThat(out.opHash()).as(note + ": op hash").isEqualTo(TradeVectors.fr(c.get("opHash")));
        assertThat(b.roots().stateRoot())
            .as(note + ": root")
            .isEqualTo(TradeVectors.fr(c.get("root")));
        if (out.reason() != ForcedTradeReason.EXECUTED) {
          assertThat(b.roots().stateRoot()).as(note + ": nothing written").isEqualTo(before);
        } else {
          assertThat(b.roots().stateRoot()).as(note + ": written").isNotEqualTo(before);
        }
        reasons.add(out.reason());
      }
      assertThat(reasons)
          .containsExactly(
              ForcedTradeReason.UNKNOWN_MARKET,
              ForcedTradeReason.EXECUTED,
              ForcedTradeReason.STALE,
              ForcedTradeReason.BAD_SIGNATURE,
              ForcedTradeReason.RISK);
      assertThat(b.roots().stateRoot())
          .isEqualTo(TradeVectors.fr(FILE.get("header").get("newRoot")));
      b.abort();
      assertThat(s.roots()).isEqualTo(initial);
    }
  }

  @Test
  void undecidedRequestsAreTypedAndWriteNothing() throws Exception {
    ForcedTradeExecution ex = new ForcedTradeExecution(BatchV3Vectors.domain(FILE));
    ForcedTradeRequest executed = request(FILE.get("cases").get(1));
    try (StateStoreV2 s = StateStoreV2.open(dir.resolve("refused"), TradeVectors.options())) {
      StateRootsV2 initial = TradeVectors.initialState(s, FILE, "forced-trade-batch");
      StateBatchV2 b = s.beginBatch();
      List<ForcedTradeRequest> bad =
          List.of(
              withOwner(executed, executed.accountA(), L1Address.ZERO),
              withOwner(executed, executed.accountB(), executed.ownerA()),
              withOwner(executed, 77, executed.ownerA()));
      List<ForcedTradeRefusedException.Refusal> want =
          List.of(
              ForcedTradeRefusedException.Refusal.OWNER,
              ForcedTradeRefusedException.Refusal.SELF_TRADE,
              ForcedTradeRefusedException.Refusal.NO_ACCOUNT);
      for (int i = 0; i < bad.size(); i++) {
        ForcedTradeRequest r = bad.get(i);
        ForcedTradeRefusedException x =
            catchThrowableOfType(ForcedTradeRefusedException.class, () -> ex.execute(b, r));
        assertThat(x).as(want.get(i).name()).isNotNull();
        assertThat(x.refusal()).isEqualTo(want.get(i));
        assertThat(b.roots()).isEqualTo(initial);
      }
      // the same request executes once the refusals are past: they changed nothing
      assertThat(ex.execute(b, executed).reason()).isEqualTo(ForcedTradeReason.EXECUTED);
      assertThat(b.roots().stateRoot())
          .isEqualTo(TradeVectors.fr(FILE.get("cases").get(1).get("root")));
      b.abort();
    }
  }
}
