package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.ticks.FundingPeriodStart;
import io.zkperp.batcher.v3.ticks.FundingTick;
import io.zkperp.batcher.v3.ticks.OracleTick;
import io.zkperp.batcher.v3.ticks.SignedPriceReport;
import io.zkperp.batcher.v3.ticks.TickExecution;
import io.zkperp.batcher.v3.ticks.TickRefusalReason;
import io.zkperp.batcher.v3.ticks.TickRefusedException;
import io.zkperp.batcher.v3.ticks.TickWitness;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.vectors.TestVectors;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays {@code test-vectors/tick-step-refusals.json} (written by the Go references {@code
 * tickstep.ApplyOracleTick}, {@code ApplyFundingTick} and {@code ApplyFundingPeriodStart}) through
 * {@link TickExecution} on a real RocksDB {@link StateStoreV2}: the initial state built from its
 * records has the Go root; after every accepted step the batch has the Go state root, the step's
 * opening chains from the root before and its public data is byte-identical; every refused step is
 * refused with the Go rules in the Go order (or the Go error) and leaves the root unchanged; the
 * batch commits to the last root.
 */
class TickExecutionVectorsTest {
  static final JsonNode V = TestVectors.load("tick-step-refusals.json");

  static final Map<String, TickRefusalReason> ERRORS =
      Map.of(
          "unknown-market", TickRefusalReason.UNKNOWN_MARKET,
          "out-of-range", TickRefusalReason.VALUE_OUT_OF_RANGE);

  @TempDir Path dir;

  static MessageDomain domain() {
    JsonNode d = V.get("domain");
    return MessageDomain.of(
        Long.parseUnsignedLong(d.get("chainId").asText()),
        L1Address.fromHex(d.get("rollup").asText()));
  }

  static long num(JsonNode n, String field) {
    return Long.parseLong(n.get(field).asText());
  }

  static OracleTick oracle(JsonNode s) {
    List<SignedPriceReport> reports = new ArrayList<>();
    for (JsonNode r : s.get("reports") == null ? List.<JsonNode>of() : s.get("reports")) {
      reports.add(
          new SignedPriceReport(
              r.get("signer").asInt(),
              (int) r.get("market").asLong(),
              num(r, "price"),
              num(r, "timestamp"),
              HexFormat.of().parseHex(r.get("signature").asText().substring(2))));
    }
    return new OracleTick(s.get("market").asInt(), num(s, "now"), num(s, "batchTime"), reports);
  }

  static TickWitness execute(TickExecution exec, StateBatchV2 b, JsonNode s)
      throws TickRefusedException {
    int market = s.get("market").asInt();
    long now = num(s, "now");
    long batchTime = num(s, "batchTime");
    return switch (s.get("kind").asText()) {
      case "oracle tick" ->
          s.has("claimedPrice")
              ? exec.executeOracle(b, oracle(s), num(s, "claimedPrice"), num(s, "claimedTimestamp"))
              : exec.executeOracle(b, oracle(s));
      case "funding tick" ->
          exec.executeFunding(b, new FundingTick(market, now, batchTime, num(s, "indexDelta")));
      case "funding period start" ->
          exec.executePeriodStart(b, new FundingPeriodStart(market, now, batchTime));
      default -> throw new AssertionError("kind " + s.get("kind"));
    };
  }

  static List<TickRefusalReason> expectedRefusal(JsonNode s) {
    return TradeVectors.refusal(s, ERRORS, TickRefusalReason.values(), TickRefusalReason::ruleName);
  }

  static String hex(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }

  @Test
  void everyTickAgreesWithTheGoReferencesRootForRoot() throws Exception {
    TickExecution exec = new TickExecution(domain());
    Set<TickRefusalReason> seen = EnumSet.noneOf(TickRefusalReason.class);
    Map<String, Integer> acceptedKinds = new java.util.HashMap<>();
    try (StateStoreV2 s = StateStoreV2.open(dir.resolve("ticks"), TradeVectors.options())) {
      StateRootsV2 initial = TradeVectors.writeInitial(s, V);
      assertThat(initial.stateRoot()).isEqualTo(TradeVectors.fr(V.get("initial").get("root")));
      StateBatchV2 b = s.beginBatch();
      StateRootsV2 last = initial;
      for (JsonNode step : V.get("steps")) {
        String note = step.get("kind").asText() + ": " + step.get("note").asText();
        StateRootsV2 before = b.roots();
        assertThat(before).as(note).isEqualTo(last);
        assertThat(before.stateRoot()).as(note).isEqualTo(TradeVectors.fr(step.get("oldRoot")));
        try {
          TickWitness w = execute(exec, b, step);
          if (!step.has("newRoot")) {
            fail("%s: accepted, Go refused it with %s", note, expectedRefusal(step));
          }
          assertThat(w.rootsAfter().stateRoot())
              .as(note)
              .isEqualTo(TradeVectors.fr(step.get("newRoot")));
          assertThat(hex(w.publicData())).as(note).isEqualTo(step.get("publicData").asText());
          assertThat(w.rootsBefore()).as(note).isEqualTo(before);
          assertThat(w.isConsistent()).as(note).isTrue();
          assertThat(b.roots()).as(note).isEqualTo(w.rootsAfter());
          last = w.rootsAfter();
          acceptedKinds.merge(step.get("kind").asText(), 1, Integer::sum);
        } catch (TickRefusedException e) {
          if (step.has("newRoot")) {
            fail("%s: refused with %s, Go accepted it", note, e.reasons());
          }
          assertThat(e.reasons()).as(note).isEqualTo(expectedRefusal(step));
          assertThat(b.roots()).as(note + ": a refusal changes nothing").isEqualTo(before);
          seen.addAll(e.reasons());
        }
      }
      assertThat(b.commit()).isEqualTo(last);
      assertThat(s.roots()).isEqualTo(last);
    }
    assertThat(acceptedKinds)
        .containsOnlyKeys("oracle tick", "funding tick", "funding period start");
    // every rule and every other refusal is replayed at least once
    assertThat(seen).containsExactlyInAnyOrder(TickRefusalReason.values());
  }
}
