package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.risk.VectorJson.num;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.sequencer.core.LiquidationActions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Engine ↔ circuit agreement on the forced trade's decision: {@code
 * test-vectors/forced-trade-rules.json} is written by the Go reference the forced-trade step
 * circuit is tested against ({@code forcedtrade/reference.Apply}, docs/perp-circuit.md §12.3). Each
 * case is fed to the engine's {@link ForcedTradeDecision} on the case's accounts and markets, which
 * must name the same reason and, when it executes, leave the same collateral, positions (size and
 * funding snapshot) and open interest; an invalid request must change nothing.
 */
class ForcedTradeRulesVectorsTest {
  private static final Map<String, Object> FILE =
      VectorJson.map(VectorJson.load("forced-trade-rules.json"));
  private static final Map<Integer, VectorMarket> MARKETS = VectorMarket.of(FILE);
  private static final int A = ((Number) FILE.get("accountA")).intValue();
  private static final int B = ((Number) FILE.get("accountB")).intValue();
  private static final LiquidationActions NO_CORE = new BookAbsorbsNothing(event -> {});

  @Test
  void theEngineDecidesEveryCaseAsTheReference() {
    List<Object> cases = VectorJson.list(FILE.get("cases"));
    List<String> mismatches = new ArrayList<>();
    Set<ForcedTradeReason> seen = EnumSet.noneOf(ForcedTradeReason.class);
    for (Object o : cases) {
      Map<String, Object> c = VectorJson.map(o);
      ForcedTradeEngine e = new ForcedTradeEngine(MARKETS);
      Map<String, Object> q = VectorJson.map(c.get("request"));
      int market = ((Number) q.get("market")).intValue();
      e.markets.get(market).openInterest = num(c, "openInterest");
      Account a = e.account(A, VectorJson.map(c.get("accountA")));
      Account b = e.account(B, VectorJson.map(c.get("accountB")));
      ForcedTradeRequest r =
          new ForcedTradeRequest(
              A,
              B,
              market,
              (Boolean) q.get("aBuys"),
              num(q, "size"),
              num(q, "amount"),
              num(q, "nonce"));
      Map<String, Object> reason = VectorJson.map(c.get("reason"));
      ForcedTradeReason want = ForcedTradeReason.ofCode(((Number) reason.get("code")).intValue());
      String before = ForcedTradeEngine.describe(a) + ForcedTradeEngine.describe(b);
      ForcedTradeOutcome got =
          e.decision.apply(r, num(c, "fillSlotNonce"), (Boolean) c.get("signatureValid"), NO_CORE);
      List<String> diff = new ArrayList<>();
      if (got.reason() != want || !want.label().equals(reason.get("name"))) {
        diff.add("reason engine " + got.reason() + ", Go " + reason);
      }
      if (want == ForcedTradeReason.EXECUTED && got.reason() == want) {
        Map<String, Object> after = VectorJson.map(c.get("after"));
        expect(
            diff,
            "A after",
            ForcedTradeEngine.describe(a),
            describe(VectorJson.map(after.get("accountA"))));
        expect(
            diff,
            "B after",
            ForcedTradeEngine.describe(b),
            describe(VectorJson.map(after.get("accountB"))));
        expect(
            diff, "open interest", e.markets.get(market).openInterest, num(after, "openInterest"));
      } else if (got.reason() != ForcedTradeReason.EXECUTED) {
        expect(
            diff,
            "unchanged",
            ForcedTradeEngine.describe(a) + ForcedTradeEngine.describe(b),
            before);
      }
      if (!diff.isEmpty()) {
        mismatches.add(c.get("name") + ": " + diff);
      }
      seen.add(want);
    }
    assertThat(cases).hasSizeGreaterThan(80);
    assertThat(seen).as("every reason occurs").isEqualTo(EnumSet.allOf(ForcedTradeReason.class));
    assertThat(mismatches).as("the engine disagrees with the Go reference").isEmpty();
  }

  /** An account of the file as market → "size@snapshot", with its collateral. */
  private static String describe(Map<String, Object> side) {
    Map<Integer, String> positions = new TreeMap<>();
    for (Object po : VectorJson.list(side.get("positions"))) {
      Map<String, Object> p = VectorJson.map(po);
      positions.put(
          ((Number) p.get("market")).intValue(), num(p, "size") + "@" + num(p, "snapshot"));
    }
    return "collateral " + num(side, "collateral") + " " + positions;
  }

  private static void expect(List<String> out, String what, Object engine, Object reference) {
    if (!engine.equals(reference)) {
      out.add(what + " engine " + engine + ", Go " + reference);
    }
  }
}
