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
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaSignature;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.protocol.state.v2.PositionList;
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

  /** Go's {@code batchv3.GoldenKey(seed)}: gnark's key of 32 bytes seed + 41. */
  private static EdDsaPrivateKey goldenKey(int seed) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) (seed + 41));
    return EdDsaPrivateKey.fromSeed(b);
  }

  /** The request signed by B (golden key 2, as the file's requests). */
  private static ForcedTradeRequest signed(
      MessageDomain d, int market, boolean aBuys, long size, long amount, long nonce) {
    ForcedTradeRequest unsigned =
        new ForcedTradeRequest(
            5, 9, market, aBuys, size, amount, nonce, owner5(), Fr.ZERO, Fr.ZERO, Fr.ZERO);
    EdDsaSignature sig = EdDsa.sign(goldenKey(2), unsigned.message().hash(d));
    return new ForcedTradeRequest(
        5,
        9,
        market,
        aBuys,
        size,
        amount,
        nonce,
        owner5(),
        sig.r().x(),
        sig.r().y(),
        Fr.fromBigInteger(sig.s()));
  }

  private static L1Address owner5() {
    byte[] a = new byte[L1Address.BYTES];
    a[0] = 5;
    return L1Address.of(a);
  }

  @Test
  void noFreeEntryAndOutOfRangeAreDecidedInOrderAndWriteNothing() throws Exception {
    MessageDomain d = BatchV3Vectors.domain(FILE);
    ForcedTradeExecution ex = new ForcedTradeExecution(d);
    JsonNode executed = FILE.get("cases").get(1);
    ForcedTradeRequest go = request(executed);
    // the signing here is Go's: the executed request signed again gives the file's signature
    ForcedTradeRequest again =
        signed(d, go.market(), go.aBuys(), go.size(), go.amount(), go.nonce());
    assertThat(List.of(again.rx(), again.ry(), again.s()))
        .isEqualTo(List.of(go.rx(), go.ry(), go.s()));
    try (StateStoreV2 s = StateStoreV2.open(dir.resolve("reasons"), TradeVectors.options())) {
      StateRootsV2 initial = TradeVectors.initialState(s, FILE, "forced-trade-batch");
      StateBatchV2 b = s.beginBatch();
      // A sells 1 for 2^63 − 1: its collateral 500,000 + 2^63 − 1 leaves int64
      ForcedTradeOutcome out = ex.execute(b, signed(d, 0, false, 1, Long.MAX_VALUE, 500));
      assertThat(out.reason()).isEqualTo(ForcedTradeReason.OUT_OF_RANGE);
      assertThat(out.record()[ForcedTradeExecution.RECORD_BYTES - 1]).isEqualTo((byte) 6);
      assertThat(out.openings().shiftA()).as("A's settled collateral leaves int64").isNotZero();
      assertThat(b.roots()).isEqualTo(initial);
      // the same request with a stale nonce is stale first
      b.setFill(5, new FillV2(500, 1));
      StateRootsV2 withFill = b.roots();
      out = ex.execute(b, signed(d, 0, false, 1, Long.MAX_VALUE, 500));
      assertThat(out.reason()).isEqualTo(ForcedTradeReason.STALE);
      // A holds 8 positions in markets 1 … 8: no entry for market 0
      MarketV2 m0 = b.market(0);
      List<PositionEntry> entries = new ArrayList<>();
      for (int m = 1; m <= 8; m++) {
        b.setMarket(m, m0);
        entries.add(new PositionEntry(m, 1, m0.fundingIndex()));
      }
      AccountV2 a = b.account(5);
      b.setAccount(
          5, new AccountV2(a.identity(), a.nonce(), a.collateral(), new PositionList(entries)));
      StateRootsV2 full = b.roots();
      out = ex.execute(b, signed(d, 0, true, 10, 10_000, 600));
      assertThat(out.reason()).isEqualTo(ForcedTradeReason.NO_FREE_ENTRY);
      assertThat(out.openings().slotA()).isEqualTo(-1);
      assertThat(b.roots()).isEqualTo(full).isNotEqualTo(withFill);
      // a bad signature comes before the missing entry
      ForcedTradeRequest r = signed(d, 0, true, 10, 10_000, 600);
      ForcedTradeRequest forged =
          new ForcedTradeRequest(
              r.accountA(),
              r.accountB(),
              r.market(),
              r.aBuys(),
              r.size(),
              r.amount() + 1,
              r.nonce(),
              r.ownerA(),
              r.rx(),
              r.ry(),
              r.s());
      assertThat(ex.execute(b, forged).reason()).isEqualTo(ForcedTradeReason.BAD_SIGNATURE);
      b.abort();
    }
  }
}
