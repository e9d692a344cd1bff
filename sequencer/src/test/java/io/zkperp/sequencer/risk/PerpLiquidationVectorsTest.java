package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.risk.VectorJson.num;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.core.LiquidationActions;
import io.zkperp.sequencer.core.SequencerEvent;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Engine ↔ circuit agreement on the liquidation rules: {@code
 * test-vectors/perp-liquidation-rules.json} is written by the Go reference the liquidation,
 * takeover and deleveraging gadgets are tested against (prover-bridge/native/perp/reference,
 * docs/perp-circuit.md §11). Each case is fed to the engine's own functions — {@link
 * AccountBook#equity}, {@link AccountBook#maintenanceRequirement}, {@link
 * AccountBook#liquidatable}, {@code Liquidator.bankruptcyPrice}, {@link Settlement#settle} with a
 * liquidation taker (the liquidation fee), {@link Settlement#movePosition} (takeover, deleveraging)
 * — which must give the same numbers, and the same decision under the rules the circuit states.
 * Three more tests run the engine's {@code Liquidator} into the sequences the circuit used to
 * refuse (docs/perp-circuit.md §11.3, differences 2 and 3) and show that the engine now decides
 * each transaction on its own state as the circuit does.
 */
class PerpLiquidationVectorsTest {
  private static final Map<String, Object> FILE =
      VectorJson.map(VectorJson.load("perp-liquidation-rules.json"));
  private static final int ACCOUNT = 11;
  private static final int COUNTERPARTY = 5;

  /** The engine's parts over the file's markets, built fresh for each case. */
  private static final class Engine {
    final RiskConfig config;
    final RiskMarkets markets;
    final AccountBook book;
    final Settlement settlement;
    final Liquidator liquidator;
    final LiquidationIndex index;
    final RecordSink records = new RecordSink();

    Engine(RiskConfig config, Map<Integer, VectorMarket> vectorMarkets) {
      this(config, vectorMarkets, true);
    }

    Engine(RiskConfig config, Map<Integer, VectorMarket> vectorMarkets, boolean indexed) {
      this.config = config;
      markets = new RiskMarkets(config);
      vectorMarkets.values().forEach(v -> v.applyTo(markets.get(v.id())));
      book = new AccountBook(config, markets);
      index = new LiquidationIndex(indexed, book, markets);
      LiquidationConfig liquidation =
          new LiquidationConfig(true, 100_000, 1_000, 500_000, num(FILE, "liquidationFeePpm"));
      RiskParts parts = new RiskParts(book, markets, index, liquidation, records);
      settlement = new Settlement(parts);
      liquidator = new Liquidator(parts, settlement);
    }

    Account account(int id, Map<String, Object> side) {
      Account a = id == AccountBook.FUND_ID ? book.fund() : book.getOrCreate(id);
      a.collateral = num(side, "collateral");
      for (Object po : VectorJson.list(side.get("positions"))) {
        Map<String, Object> p = VectorJson.map(po);
        a.setSize(((Number) p.get("market")).intValue(), num(p, "size"), num(p, "snapshot"));
      }
      return a;
    }

    long bankruptcyPrice(Account a, int market, long c) throws ReflectiveOperationException {
      Method m =
          Liquidator.class.getDeclaredMethod(
              "bankruptcyPrice", Account.class, int.class, long.class);
      m.setAccessible(true);
      return (long) m.invoke(liquidator, a, market, c);
    }
  }

  /** The core's side of a takeover or deleveraging: nothing to do outside the risk engine. */
  private static final LiquidationActions NO_CORE = new BookAbsorbsNothing(event -> {});

  private static final Map<Integer, VectorMarket> MARKETS = VectorMarket.of(FILE);
  private static final RiskConfig CONFIG =
      new RiskConfig(
          VectorMarket.risks(MARKETS.values()),
          List.of(new FeeTier(num(FILE, "makerFeePpm"), 500)),
          Map.of());

  @Test
  void theEngineGivesTheReferenceNumbersAndDecisions() throws ReflectiveOperationException {
    RiskConfig config = CONFIG;
    List<Object> cases = VectorJson.list(FILE.get("cases"));
    List<String> mismatches = new ArrayList<>();
    Map<String, int[]> kinds = new HashMap<>();
    for (Object o : cases) {
      Map<String, Object> c = VectorJson.map(o);
      String name = (String) c.get("name");
      String kind = (String) c.get("kind");
      Engine e = new Engine(config, MARKETS);
      int m = ((Number) c.get("market")).intValue();
      long delta = num(c, "delta");
      long price = num(c, "price");
      Account a = e.account(ACCOUNT, VectorJson.map(c.get("account")));
      int xId = kind.equals("takeover") ? AccountBook.FUND_ID : COUNTERPARTY;
      Account x = e.account(xId, VectorJson.map(c.get("counterparty")));
      long equity = e.book.equity(a);
      boolean liquidatable = e.book.liquidatable(a);
      long b = e.bankruptcyPrice(a, m, -delta);
      List<String> got = new ArrayList<>();
      expect(got, "equity", equity, num(c, "equity"));
      expect(got, "mmr", e.book.maintenanceRequirement(a), num(c, "mmr"));
      expect(got, "liquidatable", liquidatable, (Boolean) c.get("liquidatable"));
      expect(got, "bankrupt", equity < 0, (Boolean) c.get("bankrupt"));
      expect(got, "bankruptcyPrice", b, num(c, "bankruptcyPrice"));
      long s0 = a.size(m);
      long x0 = x.size(m);
      boolean shrinks = shrinks(s0, s0 + delta);
      boolean accepted;
      switch (kind) {
        case "liquidation" -> {
          // the engine's liquidation fill: the account is the taker of a liquidation order, the
          // counterparty a maker
          Account fund = e.book.fund();
          fund.collateral = num(c, "fundBefore");
          long size = Math.abs(delta);
          Order taker = order(ACCOUNT, m, delta > 0 ? Side.BUY : Side.SELL, size, true);
          Order maker = order(COUNTERPARTY, m, delta > 0 ? Side.SELL : Side.BUY, size, false);
          e.settlement.settle(maker, taker, price, size);
          long fee = fund.collateral - num(c, "fundBefore");
          expect(got, "feeBound", fee, num(c, "feeBound"));
          expect(got, "collateralAfter", a.collateral, num(c, "collateralAfter"));
          expect(got, "makerCollateralAfter", x.collateral, num(c, "counterpartyCollateralAfter"));
          expect(got, "fundAfter", fund.collateral, num(c, "fundAfter"));
          long charged = num(c, "fee");
          accepted = liquidatable && shrinks && charged >= 0 && charged <= fee;
        }
        case "takeover" -> {
          e.settlement.movePosition(a, x, m, delta, price, NO_CORE);
          expect(got, "collateralAfter", a.collateral, num(c, "collateralAfter"));
          expect(got, "fundCollateralAfter", x.collateral, num(c, "counterpartyCollateralAfter"));
          accepted = liquidatable && shrinks && price == b && e.book.equity(x) >= 0;
        }
        case "deleverage" -> {
          e.settlement.movePosition(a, x, m, delta, price, NO_CORE);
          expect(got, "collateralAfter", a.collateral, num(c, "collateralAfter"));
          expect(
              got,
              "deleveragerCollateralAfter",
              x.collateral,
              num(c, "counterpartyCollateralAfter"));
          accepted = equity < 0 && shrinks && shrinks(x0, x0 - delta) && price == b;
        }
        default -> throw new IllegalArgumentException("unknown kind " + kind);
      }
      expect(got, "accepted", accepted, (Boolean) c.get("accepted"));
      if (!got.isEmpty()) {
        mismatches.add(name + ": " + got);
      }
      kinds.computeIfAbsent(kind, k -> new int[2])[accepted ? 0 : 1]++;
    }
    assertThat(cases).hasSizeGreaterThan(60);
    for (String k : List.of("liquidation", "takeover", "deleverage")) {
      int[] n = kinds.get(k);
      assertThat(n[0]).as("%s cases accepted", k).isGreaterThanOrEqualTo(5);
      assertThat(n[1]).as("%s cases refused", k).isGreaterThanOrEqualTo(5);
    }
    assertThat(mismatches).as("the engine disagrees with the Go reference").isEmpty();
  }

  /**
   * Difference 3 of docs/perp-circuit.md §11.3, now closed in the engine: a bankrupt long 100
   * (equity −3,000, market 0 of the file) that the fund cannot take over (its collateral
   * −1,000,000) is deleveraged against a short 8 (account 5, first: cost 0 and the lower id) and a
   * short 150 (account 9). The engine used to price both shares at the part's bankruptcy price
   * 1,331; the deleveraging circuit computes each transaction's price on its own state and refused
   * that ({@code TestDeleveragePartSplitAcrossCounterparties} in prover-bridge/native/perp). Now
   * each share is priced at its own bankruptcy price, the second from the state the first left, and
   * each record satisfies the circuit's rules as the engine's functions compute them (the ones the
   * reference's 93 cases above agree with): equity &lt; 0 before the share, the price the share's
   * bankruptcy price, both positions shrinking.
   */
  @Test
  void aPartSplitAcrossCounterpartiesIsPricedShareByShare() throws ReflectiveOperationException {
    Engine e = new Engine(CONFIG, MARKETS, false);
    List<SequencerEvent> events = attach(e);
    Account a = bankruptLong(e, ACCOUNT);
    Account small = holder(e, 5, -8);
    holder(e, 9, -150);
    e.book.fund().collateral = -1_000_000;
    long part = e.bankruptcyPrice(a, 0, 100);
    long firstOwn = e.bankruptcyPrice(a, 0, 8);
    assertThat(part).isEqualTo(1_331);
    assertThat(firstOwn).as("the first share's own price is not the part's").isNotEqualTo(part);
    e.liquidator.liquidate(0, NO_CORE);
    List<SequencerEvent.Deleveraged> d = deleveraged(events);
    assertThat(d).hasSize(2);
    assertThat(d.get(0).counterparty()).isEqualTo(5);
    assertThat(d.get(0).size()).isEqualTo(-8);
    assertThat(d.get(0).price()).isEqualTo(firstOwn);
    assertThat(d.get(1).counterparty()).isEqualTo(9);
    assertThat(d.get(1).size()).isEqualTo(-92);
    assertThat(small.size(0)).isZero();
    assertThat(a.count).isZero();
    // the state before the second share, rebuilt from the first record: still bankrupt, and the
    // second share's price is its own bankruptcy price on that state
    Engine f = new Engine(CONFIG, MARKETS, false);
    Account b = f.book.getOrCreate(ACCOUNT);
    b.collateral = d.get(0).collateralAfter();
    b.setSize(0, d.get(0).positionAfter(), MARKETS.get(0).fundingIndex());
    assertThat(f.book.equity(b)).isNegative();
    assertThat(d.get(1).price()).isEqualTo(f.bankruptcyPrice(b, 0, 92));
    assertThat(d.get(0).collateralBefore()).isEqualTo(-3_000 - value(e, 0, 100));
    // conservation: what account 11 gains, the counterparties pay, share by share
    for (SequencerEvent.Deleveraged r : d) {
      assertThat(r.collateralAfter() - r.collateralBefore())
          .isEqualTo(-(r.counterpartyCollateralAfter() - r.counterpartyCollateralBefore()));
      assertThat(r.collateralAfter() - r.collateralBefore())
          .isEqualTo(Math.multiplyExact(-r.size(), r.price()));
    }
  }

  /**
   * Difference 2 of docs/perp-circuit.md §11.3, now closed in the engine: an account below
   * maintenance but of positive equity (Σ MMR − 500) gets a step of 10; the book absorbs nothing
   * and the fund cannot take the rest over (collateral −1,000,000). The engine used to deleverage
   * it — an account of non-negative value, which the deleveraging circuit refuses ({@code
   * not-bankrupt}) — and now deleverages only while the account's equity is &lt; 0 (StarkEx's
   * rule): the rest stays open, the account stays liquidatable, and the next tick retries. With the
   * fund able to pay at that tick, the fund takes the step's 10 over at the bankruptcy price of the
   * state then.
   */
  @Test
  void theRestOfANonBankruptStepTheFundCannotPayStaysOpenUntilTheNextTick()
      throws ReflectiveOperationException {
    Engine e = new Engine(CONFIG, MARKETS, false);
    List<SequencerEvent> events = attach(e);
    Account a = bankruptLong(e, ACCOUNT);
    a.collateral += e.book.maintenanceRequirement(a) - 500 - e.book.equity(a);
    long equity = e.book.equity(a);
    long collateral = a.collateral;
    assertThat(equity).isPositive();
    assertThat(e.book.liquidatable(a)).isTrue();
    Account counterparty = holder(e, 9, -150);
    e.book.fund().collateral = -1_000_000;
    e.liquidator.liquidate(0, NO_CORE);
    assertThat(deleveraged(events)).isEmpty();
    assertThat(events).noneMatch(SequencerEvent.InsuranceTakeover.class::isInstance);
    assertThat(a.size(0)).isEqualTo(100);
    assertThat(a.collateral).isEqualTo(collateral);
    assertThat(counterparty.size(0)).isEqualTo(-150);
    assertThat(e.book.liquidatable(a)).as("still liquidatable, for the next tick").isTrue();

    // the next tick, with a fund that can pay: the step's 10 taken over at its bankruptcy price
    e.book.fund().collateral = 1_000_000;
    long b = e.bankruptcyPrice(a, 0, 10);
    events.clear();
    e.liquidator.liquidate(0, NO_CORE);
    List<SequencerEvent.InsuranceTakeover> t =
        events.stream()
            .filter(SequencerEvent.InsuranceTakeover.class::isInstance)
            .map(SequencerEvent.InsuranceTakeover.class::cast)
            .toList();
    assertThat(t).hasSize(1);
    assertThat(t.get(0).size()).isEqualTo(-10);
    assertThat(t.get(0).price()).isEqualTo(b);
    assertThat(b).isEqualTo(e.bankruptcyPrice(bankruptLongAt(equity), 0, 10));
    assertThat(deleveraged(events)).isEmpty();
  }

  /**
   * The second half of difference 2 (docs/perp-circuit.md §11.3), now closed in the engine: a
   * bankrupt account's step closes every position in ascending market id, and a close at the
   * bankruptcy price (rounded in the account's favour) can leave its equity ≥ 0 before the next
   * position; the deleveraging circuit refuses a deleveraging of a non-negative account ({@code
   * TestBankruptAccountsSecondPositionAfterRounding}). Account 11 holds a short 20 of market 0 and
   * a long 1,000 of market 1 at equity −1, the fund cannot pay: the short is deleveraged first (its
   * bankruptcy price rounded down, in the account's favour), which leaves equity ≥ 0; the engine
   * stops there and the long stays open (deleveraged only while equity &lt; 0).
   */
  @Test
  void aBankruptAccountsLaterPositionIsNotDeleveragedOnceRoundingLeftItsEquityNonNegative()
      throws ReflectiveOperationException {
    Engine e = new Engine(CONFIG, MARKETS, false);
    List<SequencerEvent> events = attach(e);
    Account a = e.book.getOrCreate(ACCOUNT);
    a.setSize(0, -20, MARKETS.get(0).fundingIndex());
    a.setSize(1, 1_000, MARKETS.get(1).fundingIndex());
    a.collateral = 0;
    a.collateral = -1 - e.book.equity(a);
    e.index.track(a, 0);
    e.index.track(a, 1);
    assertThat(e.book.equity(a)).isEqualTo(-1);
    holder(e, 9, 60);
    Account longs1 = e.book.getOrCreate(7);
    longs1.setSize(1, -5_000, MARKETS.get(1).fundingIndex());
    longs1.collateral = 1_000_000;
    e.index.track(longs1, 1);
    e.book.fund().collateral = -1_000_000;
    e.liquidator.liquidate(0, NO_CORE);
    List<SequencerEvent.Deleveraged> d = deleveraged(events);
    assertThat(d).hasSize(1);
    assertThat(d.get(0).market()).isEqualTo(0);
    assertThat(d.get(0).size()).isEqualTo(20);
    assertThat(e.book.equity(a)).as("rounding in the account's favour").isNotNegative();
    assertThat(a.size(1)).as("the long stays open").isEqualTo(1_000);
    assertThat(longs1.size(1)).isEqualTo(-5_000);
  }

  private static long value(Engine e, int market, long size) {
    return io.zkperp.protocol.risk.RiskMath.value(size, e.markets.oracle(market));
  }

  /**
   * Collects the engine's records (the core's actions as {@link #NO_CORE}, emitting into a list).
   */
  private static List<SequencerEvent> attach(Engine e) {
    List<SequencerEvent> out = new ArrayList<>();
    e.records.attach(new BookAbsorbsNothing(out::add));
    return out;
  }

  private static List<SequencerEvent.Deleveraged> deleveraged(List<SequencerEvent> events) {
    return events.stream()
        .filter(SequencerEvent.Deleveraged.class::isInstance)
        .map(SequencerEvent.Deleveraged.class::cast)
        .toList();
  }

  /** Account id: long 100 of market 0 (snapshot 3,000,000 below the index), equity −3,000. */
  private static Account bankruptLong(Engine e, int id) {
    long index = MARKETS.get(0).fundingIndex();
    Account a = e.book.getOrCreate(id);
    a.setSize(0, 100, index - 3_000_000);
    a.collateral = 0;
    a.collateral = -3_000 - e.book.equity(a);
    e.index.track(a, 0);
    return a;
  }

  /** The same long with the given equity, on a fresh engine (for its bankruptcy price). */
  private static Account bankruptLongAt(long equity) {
    Engine f = new Engine(CONFIG, MARKETS, false);
    Account a = bankruptLong(f, ACCOUNT);
    a.collateral += equity - f.book.equity(a);
    return a;
  }

  /** Account id holding size s of market 0 (snapshot at the index) and collateral 300,000. */
  private static Account holder(Engine e, int id, long s) {
    Account x = e.book.getOrCreate(id);
    x.setSize(0, s, MARKETS.get(0).fundingIndex());
    x.collateral = 300_000;
    e.index.track(x, 0);
    return x;
  }

  private static boolean shrinks(long s0, long s1) {
    return Math.abs(s1) < Math.abs(s0) && (s1 == 0 || Long.signum(s1) == Long.signum(s0));
  }

  private static Order order(int account, int market, Side side, long size, boolean liquidation) {
    Order o = new Order();
    o.account = account;
    o.market = market;
    o.side = side;
    o.signedSize = size;
    o.remaining = size;
    o.liquidation = liquidation;
    return o;
  }

  private static void expect(List<String> out, String what, Object engine, Object reference) {
    if (!engine.equals(reference)) {
      out.add(what + " engine " + engine + ", Go " + reference);
    }
  }
}
