package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.risk.VectorJson.num;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's parts a forced trade touches, over a vector file's markets with no fees: markets,
 * accounts, margin checks, settlement and the {@link ForcedTradeDecision}. One per case. Test
 * thread.
 */
final class ForcedTradeEngine {
  final RiskMarkets markets;
  final AccountBook book;
  final ForcedTradeDecision decision;

  ForcedTradeEngine(Map<Integer, VectorMarket> vectorMarkets) {
    RiskConfig config =
        new RiskConfig(
            VectorMarket.risks(vectorMarkets.values()), List.of(new FeeTier(0, 0)), Map.of());
    markets = new RiskMarkets(config);
    vectorMarkets.values().forEach(v -> v.applyTo(markets.get(v.id())));
    book = new AccountBook(config, markets);
    LiquidationIndex index = new LiquidationIndex(true, book, markets);
    RiskParts parts =
        new RiskParts(book, markets, index, LiquidationConfig.DEFAULT, new RecordSink());
    decision =
        new ForcedTradeDecision(
            parts, new MarginChecks(config, book, markets), new Settlement(parts));
  }

  /** Account {@code id} with the file's {@code {collateral, positions}}. */
  Account account(int id, Map<String, Object> side) {
    Account a = book.getOrCreate(id);
    a.collateral = num(side, "collateral");
    for (Object po : VectorJson.list(side.get("positions"))) {
      Map<String, Object> p = VectorJson.map(po);
      a.setSize(((Number) p.get("market")).intValue(), num(p, "size"), num(p, "snapshot"));
    }
    return a;
  }

  /** The account as its collateral and market → "size@snapshot", ascending market. */
  static String describe(Account a) {
    Map<Integer, String> positions = new TreeMap<>();
    for (int i = 0; i < a.count; i++) {
      positions.put(a.markets[i], a.sizes[i] + "@" + a.fundingSnapshots[i]);
    }
    return "collateral " + a.collateral + " " + positions;
  }
}
