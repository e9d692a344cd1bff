package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.liquidation.Deleveraging;
import io.zkperp.batcher.v3.liquidation.InsuranceTakeover;
import io.zkperp.batcher.v3.liquidation.LiquidationExecution;
import io.zkperp.batcher.v3.liquidation.LiquidationFill;
import io.zkperp.batcher.v3.liquidation.LiquidationRefusalReason;
import io.zkperp.batcher.v3.liquidation.LiquidationRefusedException;
import io.zkperp.batcher.v3.liquidation.LiquidationTransaction;
import io.zkperp.batcher.v3.liquidation.LiquidationWitness;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.vectors.TestVectors;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every scenario of {@code test-vectors/liquidation-steps.json} (written by the Go
 * references {@code liqstep.ApplyLiquidation}, {@code ApplyTakeover}, {@code ApplyDeleverage}, the
 * public data from each step's witness) through {@link LiquidationExecution} on a real RocksDB
 * {@link StateStoreV2}, all steps of a scenario in one batch: the initial state has the Go root;
 * after every accepted step the batch has the Go state root, the openings chain from the root
 * before to it and the public data is byte-identical; every refused step is refused with the Go
 * rules or typed error (mapped to {@link LiquidationRefusalReason}) and leaves the root unchanged;
 * the batch commits to the last root.
 */
class LiquidationStepsVectorsTest {
  static final JsonNode V = TestVectors.load("liquidation-steps.json");

  static final Map<String, LiquidationRefusalReason> ERRORS =
      Map.of(
          "unknown-market", LiquidationRefusalReason.UNKNOWN_MARKET,
          "no-account", LiquidationRefusalReason.UNKNOWN_ACCOUNT,
          "same-account", LiquidationRefusalReason.SAME_ACCOUNT,
          "fund-account", LiquidationRefusalReason.FUND_ACCOUNT,
          "too-many-positions", LiquidationRefusalReason.TOO_MANY_POSITIONS,
          "out-of-range", LiquidationRefusalReason.OUT_OF_RANGE);

  @TempDir Path dir;

  static MessageDomain domain() {
    JsonNode d = V.get("domain");
    return MessageDomain.of(
        Long.parseUnsignedLong(d.get("chainId").asText()),
        L1Address.fromHex(d.get("rollup").asText()));
  }

  static LiquidationTransaction transaction(JsonNode s) {
    int market = s.get("market").asInt();
    long account = s.get("account").asLong();
    long price = TradeVectors.num(s.get("price"));
    return switch (s.get("type").asText()) {
      case "liquidation" ->
          new LiquidationFill(
              market,
              price,
              TradeVectors.num(s.get("size")),
              account,
              TradeVectors.side(s.get("liquidator")),
              TradeVectors.num(s.get("fee")));
      case "takeover" ->
          new InsuranceTakeover(account, market, TradeVectors.num(s.get("delta")), price);
      case "deleveraging" ->
          new Deleveraging(
              account,
              s.get("deleverager").asLong(),
              market,
              TradeVectors.num(s.get("delta")),
              price);
      default -> throw new IllegalArgumentException(s.get("type").asText());
    };
  }

  static List<LiquidationRefusalReason> expectedRefusal(JsonNode s) {
    return TradeVectors.refusal(
        s, ERRORS, LiquidationRefusalReason.values(), LiquidationRefusalReason::ruleName);
  }

  @Test
  void everyScenarioAgreesWithTheGoReferenceRootForRoot() throws Exception {
    LiquidationExecution exec =
        new LiquidationExecution(domain(), Long.parseLong(V.get("feePpm").asText()));
    Set<LiquidationRefusalReason> seen = EnumSet.noneOf(LiquidationRefusalReason.class);
    Set<String> acceptedTypes = new java.util.HashSet<>();
    int accepted = 0;
    int scenarios = 0;
    for (JsonNode sc : V.get("scenarios")) {
      String name = sc.get("name").asText();
      try (StateStoreV2 s = StateStoreV2.open(dir.resolve(name), TradeVectors.options())) {
        StateRootsV2 initial = TradeVectors.initialState(s, sc, name);
        StateBatchV2 b = s.beginBatch();
        StateRootsV2 last = initial;
        for (JsonNode step : sc.get("steps")) {
          String note = name + ": " + step.get("note").asText();
          StateRootsV2 before = b.roots();
          assertThat(before).as(note).isEqualTo(last);
          try {
            LiquidationWitness w = exec.execute(b, transaction(step));
            if (!step.has("root")) {
              fail("%s: accepted, Go refused it with %s", note, expectedRefusal(step));
            }
            assertThat(w.rootsAfter().stateRoot())
                .as(note)
                .isEqualTo(TradeVectors.fr(step.get("root")));
            assertThat(w.rootsBefore()).as(note).isEqualTo(before);
            assertThat(w.isConsistent()).as(note).isTrue();
            assertThat(b.roots()).as(note).isEqualTo(w.rootsAfter());
            assertThat("0x" + HexFormat.of().formatHex(w.publicData()))
                .as(note + ": public data")
                .isEqualTo(step.get("publicData").asText());
            last = w.rootsAfter();
            accepted++;
            acceptedTypes.add(step.get("type").asText());
          } catch (LiquidationRefusedException e) {
            if (step.has("root")) {
              fail("%s: refused with %s, Go accepted it", note, e.reasons());
            }
            assertThat(e.reasons()).as(note).isEqualTo(expectedRefusal(step));
            assertThat(b.roots()).as(note + ": a refusal changes nothing").isEqualTo(before);
            seen.addAll(e.reasons());
          }
        }
        assertThat(b.commit()).as(name).isEqualTo(last);
        assertThat(s.roots()).isEqualTo(last);
        scenarios++;
      }
    }
    assertThat(scenarios).isEqualTo(4);
    assertThat(accepted).isGreaterThanOrEqualTo(30);
    assertThat(acceptedTypes).containsExactlyInAnyOrder("liquidation", "takeover", "deleveraging");
    // every refusal but POSITIONS (the executor picks the entry the list rule gives) and
    // OPEN_INTEREST (a liquidation fill never raises the open interest; takeovers and
    // deleveragings have no cap rule) is replayed
    Set<LiquidationRefusalReason> all = EnumSet.allOf(LiquidationRefusalReason.class);
    all.remove(LiquidationRefusalReason.POSITIONS);
    all.remove(LiquidationRefusalReason.OPEN_INTEREST);
    assertThat(seen).containsAll(all);
  }
}
