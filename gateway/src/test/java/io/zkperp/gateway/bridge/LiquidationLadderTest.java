package io.zkperp.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LiquidationLadder}: band edges, placement at the edges, and sums, with worked numbers. */
class LiquidationLadderTest {
  private static final long ONE = 1L << 32;

  private static ReadModel.Position pos(long size, Long liq) {
    return new ReadModel.Position(1, size, 0, 0, 0, liq);
  }

  @Test
  void placesEachPositionInTheBandOfItsLiquidationPriceAndSumsExactly() {
    // P = 1000, bands of 10 %: longs (900, 1000], (800, 900], (700, 800]; shorts [1000, 1100), …
    List<ReadModel.Position> positions =
        List.of(
            pos(5, 950 * ONE), // long band 0
            pos(2, 1005 * ONE), // long already liquidatable: band 0
            pos(7, 900 * ONE), // the edge 900 belongs to (800, 900]: band 1
            pos(11, 800 * ONE + 1), // just above 800: band 1
            pos(3, 100 * ONE), // past 700: beyond
            pos(4, null), // no price liquidates it
            pos(-1, 1099 * ONE), // short band 0
            pos(-9, 999 * ONE), // short already liquidatable: band 0
            pos(-6, 1100 * ONE), // the edge 1100 belongs to [1100, 1200): band 1
            pos(-13, 1300 * ONE - 1), // band 2
            pos(-20, 1300 * ONE), // past the last band: beyond
            pos(-8, null),
            pos(0, 950 * ONE)); // no position
    LiquidationLadder l = LiquidationLadder.of(1000 * ONE, 3, 100_000, positions);

    assertThat(l.longs().bands())
        .containsExactly(
            new LiquidationLadder.Band(900 * ONE, 1000 * ONE, 7),
            new LiquidationLadder.Band(800 * ONE, 900 * ONE, 18),
            new LiquidationLadder.Band(700 * ONE, 800 * ONE, 0));
    assertThat(l.longs().beyond()).isEqualTo(3);
    assertThat(l.longs().never()).isEqualTo(4);
    assertThat(l.shorts().bands())
        .containsExactly(
            new LiquidationLadder.Band(1000 * ONE, 1100 * ONE, 10),
            new LiquidationLadder.Band(1100 * ONE, 1200 * ONE, 6),
            new LiquidationLadder.Band(1200 * ONE, 1300 * ONE, 13));
    assertThat(l.shorts().beyond()).isEqualTo(20);
    assertThat(l.shorts().never()).isEqualTo(8);
  }

  @Test
  void edgesRoundLongsDownAndShortsUpAndStopAtZero() {
    // P = 1001 (raw), bands of 1/3: long edges floor(1001·(1 − k/3)) = 1001, 667, 333, 0, then 0;
    // short edges ceil(1001·(10^6 + k·333333)/10^6) = 1001, 1335, 1669, 2002 (1334.67…, 1668.33…
    // and 2001.99… rounded up)
    LiquidationLadder l =
        LiquidationLadder.of(1001, 4, 333_333, List.of(pos(1, 0L), pos(-1, 1667L)));
    assertThat(l.longs().bands().stream().map(LiquidationLadder.Band::to))
        .containsExactly(1001L, 667L, 333L, 0L);
    assertThat(l.longs().bands().get(3).from()).isZero();
    assertThat(l.shorts().bands().stream().map(LiquidationLadder.Band::from))
        .containsExactly(1001L, 1335L, 1669L, 2002L);
    // a long liquidated only at 0 lies in no band (each is (from, to]): beyond
    assertThat(l.longs().beyond()).isEqualTo(1);
    assertThat(l.shorts().bands().get(1).size()).isEqualTo(1); // 1667 in [1335, 1669)
  }

  @Test
  void everyPositionIsCountedOnceWhateverItsPrice() {
    Random r = new Random(22);
    for (int round = 0; round < 200; round++) {
      long p = 1 + (r.nextLong() & ((1L << 50) - 1));
      List<ReadModel.Position> positions = new ArrayList<>();
      long longs = 0;
      long shorts = 0;
      for (int i = 0; i < 50; i++) {
        long size = r.nextInt(2_000_001) - 1_000_000;
        Long liq = r.nextInt(10) == 0 ? null : r.nextLong() & Long.MAX_VALUE >>> r.nextInt(30);
        positions.add(pos(size, liq));
        longs += Math.max(size, 0);
        shorts += Math.max(-size, 0);
      }
      LiquidationLadder l =
          LiquidationLadder.of(p, 1 + r.nextInt(20), 1 + r.nextInt(1_000_000), positions);
      assertThat(total(l.longs())).isEqualTo(longs);
      assertThat(total(l.shorts())).isEqualTo(shorts);
    }
  }

  @Test
  void refusesArgumentsOutOfRange() {
    assertThatThrownBy(() -> LiquidationLadder.of(0, 1, 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LiquidationLadder.of(1, 0, 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LiquidationLadder.of(1, 1, 1_000_001, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long total(LiquidationLadder.Side s) {
    return s.bands().stream().mapToLong(LiquidationLadder.Band::size).sum()
        + s.beyond()
        + s.never();
  }
}
