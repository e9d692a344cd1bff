package io.zkperp.sequencer.risk.funding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.NaiveOrderBook;
import io.zkperp.sequencer.book.OptimisedOrderBook;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBook;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImpactPricesTest {
  static final long ONE = 1L << 32;

  /**
   * The 3-level book of the worked example. Impact notional N = 500 / 5% = 10,000.
   *
   * <pre>
   * asks: 10 @ 100 (1,000)   20 @ 101 (2,020)   100 @ 105 (10,500)
   * bids:  5 @  99 (  495)   50 @  98 (4,900)   200 @  95 (19,000)
   * </pre>
   */
  static final DepthLevels BOOK =
      new DepthLevels(
          new long[] {99, 98, 95}, new long[] {5, 50, 200},
          new long[] {100, 101, 105}, new long[] {10, 20, 100});

  static final long N = 10_000;

  @Test
  void impactNotionalIsCollateralOverImf() {
    // 500 / 5% = 10,000; 500 / 3% = 16,666.67 → 16,666 (floor)
    assertThat(ImpactPrices.impactNotional(500, 50_000)).isEqualTo(10_000);
    assertThat(ImpactPrices.impactNotional(500, 30_000)).isEqualTo(16_666);
    assertThatThrownBy(() -> ImpactPrices.impactNotional(0, 50_000))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> ImpactPrices.impactNotional(500, 0))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void threeLevelBookWorkedExample() {
    // ask walk: 1,000 < 10,000 → left 9,000, S = 10; 2,020 < 9,000 → left 6,980, S = 30;
    // 10,500 ≥ 6,980 → p_last 105, R 6,980.
    // impact ask = 10,000 · 105 / (30 · 105 + 6,980) = 1,050,000 / 10,130 = 103 + 661/1013
    //            = 103.6525…, rounded up in 32.32: 103·2^32 + ceil(661·2^32 / 1013) =
    // 445,184,171,847
    // bid walk: 495 < 10,000 → left 9,505, S = 5; 4,900 < 9,505 → left 4,605, S = 55;
    // 19,000 ≥ 4,605 → p_last 95, R 4,605.
    // impact bid = 10,000 · 95 / (55 · 95 + 4,605) = 950,000 / 9,830 = 96 + 632/983
    //            = 96.6429…, rounded down: 96·2^32 + floor(632·2^32 / 983) = 415,078,222,909
    ImpactPrices ip = ImpactPrices.compute(BOOK, N);
    assertThat(ip.ask()).isEqualTo(103 * ONE + Math.ceilDiv(661 * ONE, 1013));
    assertThat(ip.ask()).isEqualTo(445_184_171_847L);
    assertThat(ip.bid()).isEqualTo(96 * ONE + Math.floorDiv(632 * ONE, 983));
    assertThat(ip.bid()).isEqualTo(415_078_222_909L);

    // index 100: inside [96.64, 103.65] → premium 0
    assertThat(ip.premiumPpm(100 * ONE)).isZero();
    // index 96: (96.6429 − 96) / 96 = 632 / 94,368 = 0.0066971… → 6,697 ppm (toward zero)
    assertThat(ip.premiumPpm(96 * ONE)).isEqualTo(6_697);
    // index 105: −(105 − 103.6525) / 105 = −13,650 / 1,063,650 = −0.0128331… → −12,833 ppm
    assertThat(ip.premiumPpm(105 * ONE)).isEqualTo(-12_833);
  }

  @Test
  void firstLevelCoveringTheNotionalGivesItsPriceExactly() {
    DepthLevels deep =
        new DepthLevels(new long[] {90}, new long[] {1_000}, new long[] {110}, new long[] {1_000});
    assertThat(ImpactPrices.compute(deep, N)).isEqualTo(new ImpactPrices(90 * ONE, 110 * ONE));
    // exactly consumed levels: 100 @ 50 + 50 @ 100 = 10,000 → the second level is the last one,
    // taken for R = 5,000: N · 100 / (100 · 100 + 5,000) = 1,000,000 / 15,000 = 66.67
    DepthLevels exact =
        new DepthLevels(new long[] {}, new long[] {}, new long[] {50, 100}, new long[] {100, 50});
    assertThat(ImpactPrices.compute(exact, N).ask())
        .isEqualTo(Math.ceilDiv(1_000_000 * ONE, 15_000));
  }

  @Test
  void thinSideHasNoImpactPriceAndNoPremium() {
    // asks hold 1,000 + 2,020 = 3,020 < 10,000: no impact ask; bids as in the worked example
    DepthLevels thin =
        new DepthLevels(
            new long[] {99, 98, 95}, new long[] {5, 50, 200},
            new long[] {100, 101}, new long[] {10, 20});
    ImpactPrices ip = ImpactPrices.compute(thin, N);
    assertThat(ip.hasAsk()).isFalse();
    assertThat(ip.ask()).isZero();
    assertThat(ip.hasBid()).isTrue();
    // index 200 far above everything: without an impact ask there is no negative premium
    assertThat(ip.premiumPpm(200 * ONE)).isZero();
    // an empty book has neither
    DepthLevels empty = new DepthLevels(new long[0], new long[0], new long[0], new long[0]);
    assertThat(ImpactPrices.compute(empty, N)).isEqualTo(new ImpactPrices(0, 0));
  }

  @Test
  void badBooksAreRefused() {
    long[][] badAsks = {
      {100, 100}, // not strictly increasing
      {101, 100}, // decreasing
      {0, 100}, // price 0
      {ImpactPrices.MAX_LEVEL_PRICE + 1, ImpactPrices.MAX_LEVEL_PRICE + 2}
    };
    for (long[] asks : badAsks) {
      DepthLevels b = new DepthLevels(new long[0], new long[0], asks, new long[] {1, 1});
      assertThatThrownBy(() -> ImpactPrices.compute(b, Long.MAX_VALUE))
          .isInstanceOf(IllegalArgumentException.class);
    }
    DepthLevels zeroSize =
        new DepthLevels(new long[] {100}, new long[] {0}, new long[0], new long[0]);
    assertThatThrownBy(() -> ImpactPrices.compute(zeroSize, N))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad bid level");
    assertThatThrownBy(() -> ImpactPrices.compute(BOOK, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImpactPrices(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImpactPrices(1, 1).premiumPpm(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void impactPricesMatchAnExactRationalWalk() {
    // reference: the average fill price N / Σ taken sizes as an exact fraction (BigInteger),
    // bid rounded down, ask rounded up; and the result lies between the best and the last price
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < 20_000; i++) {
      int levels = 1 + rnd.nextInt(6);
      long[] p = new long[levels];
      long[] s = new long[levels];
      long price = 1 + rnd.nextLong(1L << (rnd.nextBoolean() ? 10 : 30));
      for (int l = 0; l < levels; l++) {
        p[l] = price;
        s[l] = 1 + rnd.nextLong(1L << rnd.nextInt(1, 40));
        price += 1 + rnd.nextLong(1_000);
      }
      if (price > ImpactPrices.MAX_LEVEL_PRICE) {
        continue;
      }
      long notional = 1 + rnd.nextLong(1L << rnd.nextInt(1, 62));
      DepthLevels asks = new DepthLevels(new long[0], new long[0], p, s);
      long got = ImpactPrices.compute(asks, notional).ask();
      BigInteger[] ref = reference(p, s, notional);
      if (ref == null) {
        assertThat(got).isZero();
        continue;
      }
      // ask = ceil(N · 2^32 · den / num) where the filled size is num / den
      BigInteger n = BigInteger.valueOf(notional).shiftLeft(32).multiply(ref[1]);
      BigInteger[] qr = n.divideAndRemainder(ref[0]);
      BigInteger ceil = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
      assertThat(got).isEqualTo(ceil.longValueExact());
      assertThat(got).isBetween(p[0] << 32, ref[2].longValueExact() << 32);
    }
  }

  /** {filled size numerator, denominator, last price} or null if the depth is too thin. */
  private static BigInteger[] reference(long[] p, long[] s, long notional) {
    BigInteger left = BigInteger.valueOf(notional);
    BigInteger size = BigInteger.ZERO;
    for (int i = 0; i < p.length; i++) {
      BigInteger level = BigInteger.valueOf(p[i]).multiply(BigInteger.valueOf(s[i]));
      if (level.compareTo(left) >= 0) {
        BigInteger pl = BigInteger.valueOf(p[i]);
        // size + left / p = (size · p + left) / p
        return new BigInteger[] {size.multiply(pl).add(left), pl, pl};
      }
      left = left.subtract(level);
      size = size.add(BigInteger.valueOf(s[i]));
    }
    return null;
  }

  @Test
  void depthSnapshotOfAnOrderBookSumsLevelsBestFirst() {
    for (OrderBook book : new OrderBook[] {new OptimisedOrderBook(3), new NaiveOrderBook(3)}) {
      long id = 1;
      book.add(order(id++, Side.BUY, 98, 20));
      book.add(order(id++, Side.BUY, 99, 5));
      book.add(order(id++, Side.BUY, 98, 30));
      book.add(order(id++, Side.BUY, 95, 200));
      book.add(order(id++, Side.SELL, 105, 60));
      book.add(order(id++, Side.SELL, 100, 10));
      book.add(order(id++, Side.SELL, 101, 20));
      book.add(order(id++, Side.SELL, 105, 40));
      DepthLevels d = DepthLevels.of(book);
      // the same levels as BOOK: 98 = 20 + 30, 105 = 60 + 40
      assertThat(d).isEqualTo(BOOK);
      assertThat(ImpactPrices.compute(d, N)).isEqualTo(ImpactPrices.compute(BOOK, N));
    }
  }

  @Test
  void depthLevelsCopiesAndStopsWhenAsked() {
    long[] prices = {100, 99};
    DepthLevels d = new DepthLevels(prices, new long[] {1, 2}, new long[0], new long[0]);
    prices[0] = 1;
    assertThat(d.bidPrices()).containsExactly(100, 99);
    int[] visits = {0};
    d.forEachLevel(
        true,
        (p, s) -> {
          visits[0]++;
          return false;
        });
    assertThat(visits[0]).isEqualTo(1);
    assertThatThrownBy(() -> new DepthLevels(new long[1], new long[0], new long[0], new long[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Order order(long id, Side side, long price, long size) {
    Order o = new Order();
    o.orderId = id;
    o.account = (int) id;
    o.market = 3;
    o.side = side;
    o.price = price;
    o.signedSize = size;
    o.remaining = size;
    return o;
  }
}
