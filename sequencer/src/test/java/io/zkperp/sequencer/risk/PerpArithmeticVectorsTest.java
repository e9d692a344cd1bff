package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static io.zkperp.sequencer.risk.VectorJson.num;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.SequencerEvent.Fill;
import io.zkperp.sequencer.core.SequencerEvent.OrderClosed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Engine ↔ circuit agreement on the risk arithmetic: {@code
 * test-vectors/perp-trade-arithmetic.json} is written by the Go reference the perpetual trade
 * circuit is tested against (prover-bridge/native/perp/reference). Every {@link RiskMath} function
 * must give the same integer (or throw where the reference reports an overflow), and {@link
 * MarginChecks#admitFill} must accept exactly the maker fills the circuit's post-trade rule
 * accepts, at the lowest collateral accepted and one quantum below it.
 */
class PerpArithmeticVectorsTest {
  private static final Map<String, Object> FILE = load();
  private static final int ACCOUNT = 7;

  @Test
  void riskMathGivesTheReferenceIntegers() {
    List<String> mismatches = new ArrayList<>();
    List<Object> cases = VectorJson.list(FILE.get("arithmetic"));
    for (Object o : cases) {
      Map<String, Object> c = VectorJson.map(o);
      String fn = (String) c.get("fn");
      long[] a =
          VectorJson.list(c.get("args")).stream()
              .mapToLong(x -> Long.parseLong((String) x))
              .toArray();
      LongSupplier f = function(fn, a);
      boolean overflow = (Boolean) c.get("overflow");
      String got;
      try {
        got = Long.toString(f.getAsLong());
      } catch (ArithmeticException e) {
        got = "overflow";
      }
      String want = overflow ? "overflow" : (String) c.get("result");
      if (!got.equals(want)) {
        mismatches.add(fn + java.util.Arrays.toString(a) + ": Java " + got + ", Go " + want);
      }
    }
    assertThat(cases).hasSizeGreaterThan(500);
    assertThat(mismatches).as("RiskMath disagrees with the Go reference").isEmpty();
  }

  private static LongSupplier function(String fn, long[] a) {
    return switch (fn) {
      case "value" -> () -> RiskMath.value(a[0], a[1]);
      case "notional" -> () -> RiskMath.notional(a[0], a[1]);
      case "mulPpmUp" -> () -> RiskMath.mulPpmUp(a[0], a[1]);
      case "mulPpmDown" -> () -> RiskMath.mulPpmDown(a[0], a[1]);
      case "fee" -> () -> RiskMath.fee(a[0], a[1]);
      case "initialMarginPpm" -> () -> RiskMath.initialMarginPpm(a[0], risk(a, 1));
      case "initialRequirement" -> () -> RiskMath.initialRequirement(a[0], a[1], risk(a, 2));
      case "maintenanceRequirement" ->
          () -> RiskMath.maintenanceRequirement(a[0], a[1], risk(a, 2));
      case "fundingCredit" -> () -> RiskMath.fundingCredit(a[0], a[1], a[2]);
      default -> throw new IllegalArgumentException("unknown function " + fn);
    };
  }

  private static MarketRisk risk(long[] a, int from) {
    return new MarketRisk(a[from], a[from + 1], a[from + 2], a[from + 3], a[from + 4], 1, 1);
  }

  @Test
  void makerFillAdmissionAgreesWithThePostTradeRule() {
    Map<Integer, VectorMarket> vectorMarkets = VectorMarket.of(FILE);
    RiskConfig config =
        new RiskConfig(
            VectorMarket.risks(vectorMarkets.values()),
            List.of(new FeeTier(num(FILE, "makerFeePpm"), num(FILE, "takerFeePpm"))),
            Map.of());
    List<String> mismatches = new ArrayList<>();
    List<Object> fills = VectorJson.list(FILE.get("makerFills"));
    int accepted = 0;
    for (Object o : fills) {
      Map<String, Object> c = VectorJson.map(o);
      RiskMarkets markets = new RiskMarkets(config);
      vectorMarkets.values().forEach(v -> v.applyTo(markets.get(v.id())));
      AccountBook book = new AccountBook(config, markets);
      Account a = book.getOrCreate(ACCOUNT);
      a.collateral = num(c, "collateral");
      for (Object po : VectorJson.list(c.get("positions"))) {
        Map<String, Object> p = VectorJson.map(po);
        a.setSize(((Number) p.get("market")).intValue(), num(p, "size"), num(p, "snapshot"));
      }
      boolean want = (Boolean) c.get("accepted");
      boolean got =
          new MarginChecks(config, book, markets)
              .admitFill(
                  ACCOUNT,
                  ((Number) c.get("market")).intValue(),
                  Side.valueOf((String) c.get("side")),
                  num(c, "size"),
                  num(c, "price"),
                  false);
      if (got != want) {
        mismatches.add(c.get("name") + " at collateral " + c.get("collateral") + ": engine " + got);
      }
      accepted += want ? 1 : 0;
    }
    assertThat(accepted).isEqualTo(fills.size() / 2);
    assertThat(mismatches).as("the engine's maker-fill check disagrees with the circuit").isEmpty();
  }

  /**
   * The case that once separated the engine from the trade circuit (docs/perp-circuit.md, "Engine
   * agreement"): the taker's pre-check prices the whole order as one fill (one fee rounded up
   * once), but settlement charges a fee rounded up per fill, so a taker split across two makers
   * would pay 1 + 1 instead of 1 and end one quantum below its initial margin while its position
   * grew — a state the circuit's post-trade rule (every fill, both sides) refuses. The taker's
   * post-trade check now refuses that second fill: matching stops, the remainder is cancelled
   * (never rests), the first fill stands. Market: IMF 5% flat, fees 500 ppm, oracle 1,000; taker
   * collateral 101 buys 2 at 1,000 GTC (pre-check: equity 101 − 2,000 − 1 + 2,000 = 100 ≥ IMR 100).
   * Fill 1: equity 101 − 1,000 − 1 + 1,000 = 100 ≥ IMR 50 → filled. Fill 2: equity −900 − 1,000 − 1
   * + 2,000 = 99 &lt; IMR 100, the position grows → refused.
   */
  @Test
  void takerSplitAcrossMakersIsStoppedBeforeTheFillThatWouldEndBelowInitialMargin() {
    int m = 1;
    RiskConfig config =
        new RiskConfig(
            Map.of(m, new MarketRisk(50_000, 30_000, 1_000_000, 1, 0, 1_000_000, 1_000_000_000)),
            List.of(new FeeTier(500, 500)),
            Map.of());
    RiskHarness h = new RiskHarness(config, OrderBookFactory.OPTIMISED, m);
    h.oracle(m, 1_000);
    h.deposit(1, 101);
    h.deposit(2, 100_000);
    h.deposit(3, 100_000);
    h.place(order(2, Side.SELL, 1, 1_000).clientId(21));
    h.place(order(3, Side.SELL, 1, 1_000).clientId(31));
    long secondMaker = h.core.orderByClientId(3, 31).orderId;
    h.events.drain();
    h.place(order(1, Side.BUY, 2, 1_000).clientId(11));
    List<SequencerEvent> ev = h.events.drain();
    List<Fill> fills = ev.stream().filter(Fill.class::isInstance).map(Fill.class::cast).toList();
    assertThat(fills).hasSize(1);
    assertThat(fills.get(0).makerAccount()).isEqualTo(2);
    assertThat(fills.get(0).size()).isEqualTo(1);
    OrderClosed takerClosed =
        ev.stream()
            .filter(OrderClosed.class::isInstance)
            .map(OrderClosed.class::cast)
            .filter(c -> c.account() == 1)
            .findFirst()
            .orElseThrow();
    assertThat(takerClosed.orderId()).isEqualTo(fills.get(0).takerOrderId());
    assertThat(takerClosed.remaining()).isEqualTo(1);
    assertThat(takerClosed.reason()).isEqualTo(CloseReason.POST_TRADE_CHECK_FAILED);
    assertThat(h.core.orderByClientId(1, 11)).as("the GTC remainder must not rest").isNull();
    assertThat(h.core.order(secondMaker)).as("the second maker stays on the book").isNotNull();
    assertThat(h.core.position(1, m)).isEqualTo(1);
    assertThat(h.risk.position(1, m)).isEqualTo(1);
    assertThat(h.risk.position(3, m)).isZero();
    assertThat(h.risk.collateral(1)).isEqualTo(101 - 1_000 - 1);
    assertThat(h.risk.equity(1)).isEqualTo(100);
    assertThat(h.risk.initialRequirement(1)).isEqualTo(50);
    assertThat(h.risk.equity(1)).isGreaterThanOrEqualTo(h.risk.initialRequirement(1));
  }

  // --- the vector file ------------------------------------------------------------------------

  private static Map<String, Object> load() {
    return VectorJson.map(VectorJson.load("perp-trade-arithmetic.json"));
  }
}
