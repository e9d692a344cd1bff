package io.zkperp.batcher.v3.ticks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.vectors.TestVectors;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads test-vectors/tick-steps.json (generated in Go from tickstep's step witnesses) and requires
 * that the Java tick steps, built from the engine-side values alone, encode byte-identical public
 * data, and that the market leaf rebuilt from the leaf before and the step gives the file's old and
 * new state roots over the leaf's path.
 */
class TickStepsVectorsTest {
  static String hex(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }

  static long num(JsonNode n, String field) {
    return Long.parseLong(n.get(field).asText());
  }

  /** The step built from the record's fields, as the settlement will build it. */
  static TickStep step(JsonNode s) {
    int market = s.get("market").asInt();
    long now = num(s, "now");
    return switch (s.get("kind").asText()) {
      case "oracle tick" -> new OracleTickStep(market, num(s, "price"), num(s, "timestamp"), now);
      case "funding tick" -> new FundingTickStep(market, num(s, "indexAfter"), now);
      case "funding period start" -> new FundingPeriodStartStep(market, now);
      default -> throw new AssertionError("kind " + s.get("kind"));
    };
  }

  static MarketV2 market(JsonNode m) {
    JsonNode r = m.get("risk");
    MarketRiskV2 risk =
        new MarketRiskV2(
            num(r, "initialMarginPpm"),
            num(r, "maintenanceMarginPpm"),
            num(r, "baselinePositionSize"),
            num(r, "incrementalPositionSize"),
            num(r, "incrementalInitialMarginPpm"),
            num(r, "maxPositionSize"),
            num(r, "openInterestCap"),
            num(r, "oracleMaxAgeSeconds"),
            num(r, "oracleMaxFutureSeconds"),
            num(r, "oracleMaxMovePpm"),
            num(r, "fundingMinIntervalSeconds"),
            num(r, "fundingMaxRatePpm"));
    return new MarketV2(
        Long.parseUnsignedLong(m.get("oraclePrice").asText()),
        Long.parseUnsignedLong(m.get("oracleTimestamp").asText()),
        num(m, "fundingIndex"),
        Long.parseUnsignedLong(m.get("fundingTimestamp").asText()),
        Long.parseUnsignedLong(m.get("openInterest").asText()),
        risk);
  }

  /** The state root with the market leaf at {@code market}, over the file's siblings. */
  static Fr root(JsonNode s, Fr leaf) {
    Fr node = leaf;
    int market = s.get("market").asInt();
    JsonNode path = s.get("marketPath");
    assertThat(path).hasSize(LayoutV2.MARKETS_DEPTH);
    for (int h = 0; h < LayoutV2.MARKETS_DEPTH; h++) {
      Fr sibling = Fr.fromHex(path.get(h).asText());
      node =
          ((market >> h) & 1) == 1
              ? Poseidon2.compress(sibling, node)
              : Poseidon2.compress(node, sibling);
    }
    return LayoutV2.stateRoot(
        Fr.fromHex(s.get("accountsRoot").asText()), node, Fr.fromHex(s.get("globalLeaf").asText()));
  }

  @Test
  void javaTickStepsEncodeTheGoStepsPublicDataAndRebuildTheirRoots() {
    JsonNode file = TestVectors.load("tick-steps.json");
    JsonNode types = file.get("typeBytes");
    assertThat(types.get("oracleTick").asInt()).isEqualTo(TickStep.TYPE_ORACLE_TICK);
    assertThat(types.get("fundingTick").asInt()).isEqualTo(TickStep.TYPE_FUNDING_TICK);
    assertThat(types.get("fundingPeriodStart").asInt())
        .isEqualTo(TickStep.TYPE_FUNDING_PERIOD_START);
    Map<String, Integer> kinds = new HashMap<>();
    String previousRoot = null;
    for (JsonNode s : file.get("steps")) {
      String name = s.get("note").asText();
      TickStep step = step(s);
      kinds.merge(s.get("kind").asText(), 1, Integer::sum);
      assertThat(hex(step.publicData())).as(name).isEqualTo(s.get("publicData").asText());

      MarketV2 before = market(s.get("marketBefore"));
      MarketV2 after = step.applyTo(before);
      assertThat(after).as(name).isEqualTo(market(s.get("marketAfter")));
      assertThat(after.leafHash().toHex())
          .as(name)
          .isEqualTo(s.get("marketAfter").get("hash").asText());
      assertThat(root(s, before.leafHash()).toHex()).as(name).isEqualTo(s.get("oldRoot").asText());
      assertThat(root(s, after.leafHash()).toHex()).as(name).isEqualTo(s.get("newRoot").asText());
      if (previousRoot != null) {
        assertThat(s.get("oldRoot").asText()).as(name).isEqualTo(previousRoot);
      }
      previousRoot = s.get("newRoot").asText();
    }
    assertThat(kinds).containsOnlyKeys("oracle tick", "funding tick", "funding period start");
    assertThat(kinds.values()).allSatisfy(n -> assertThat(n).isPositive());
  }

  @Test
  void aChangedFieldChangesItsBytes() {
    byte[] a = new FundingTickStep(5, -2, 1_800_000_100L).publicData();
    // two's complement of −2, then 1,800,000,100 = 0x6b49d264
    assertThat(hex(a)).isEqualTo("0x0905fffffffffffffffe000000006b49d264");
    assertThat(new OracleTickStep(63, 1, 0, Long.MAX_VALUE).publicData())
        .hasSize(OracleTickStep.PUBLIC_DATA_BYTES)
        .startsWith(0x08, 63);
    assertThat(hex(new FundingPeriodStartStep(0, 1).publicData()))
        .isEqualTo("0x0a000000000000000001");
  }

  @Test
  void valuesNoStepCanCarryAreRefusedWithTheirReason() {
    assertRefused(() -> new OracleTickStep(64, 1, 0, 0), TickStepError.MARKET_OUT_OF_RANGE);
    assertRefused(() -> new FundingTickStep(-1, 0, 0), TickStepError.MARKET_OUT_OF_RANGE);
    assertRefused(() -> new OracleTickStep(1, 0, 0, 0), TickStepError.NON_POSITIVE_PRICE);
    assertRefused(() -> new OracleTickStep(1, 1, -1, 0), TickStepError.NEGATIVE_TIMESTAMP);
    assertRefused(() -> new OracleTickStep(1, 1, 0, -1), TickStepError.NEGATIVE_TIME);
    assertRefused(() -> new FundingTickStep(1, 0, -1), TickStepError.NEGATIVE_TIME);
    assertRefused(() -> new FundingPeriodStartStep(1, -5), TickStepError.NEGATIVE_TIME);
    assertRefused(() -> new FundingPeriodStartStep(1, 0), TickStepError.NON_POSITIVE_TIME);
  }

  static void assertRefused(Runnable r, TickStepError error) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            TickStepException.class, e -> assertThat(e.error()).isEqualTo(error));
  }
}
