package io.zkperp.gateway.bridge;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The open interest of one market that would be liquidated in each price band around the oracle
 * price: positions placed by their liquidation price (the risk engine's {@code LiquidationPrice},
 * as {@link ReadModel.Position#liquidationPrice} carries it), sizes summed per band. Longs are
 * liquidated below the oracle price P, shorts above it. With w = {@code bandPpm}:
 *
 * <ul>
 *   <li>long band k holds liquidation prices L with floor(P·(10^6 − (k+1)·w)/10^6) &lt; L ≤
 *       floor(P·(10^6 − k·w)/10^6); band 0 also every long with L ≥ P (liquidatable now);
 *   <li>short band k holds ceil(P·(10^6 + k·w)/10^6) ≤ L &lt; ceil(P·(10^6 + (k+1)·w)/10^6); band 0
 *       also every short with L &lt; P;
 *   <li>{@code beyond}: past the last band (a long band edge below 0 is 0); {@code never}: no price
 *       liquidates the position (L is null).
 * </ul>
 *
 * Integers only; each position is in exactly one of a side's bands, beyond or never. Immutable; any
 * thread.
 *
 * @param oraclePrice P, 32.32
 * @param bandPpm the band width w, ppm of P
 * @param longs the long side
 * @param shorts the short side
 */
public record LiquidationLadder(long oraclePrice, long bandPpm, Side longs, Side shorts) {
  private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

  /**
   * One band: its price range and the size of the positions in it.
   *
   * @param from the lower price edge, 32.32 (exclusive for longs, inclusive for shorts)
   * @param to the upper price edge, 32.32 (inclusive for longs, exclusive for shorts)
   * @param size Σ |size| of the positions whose liquidation price is in the band, synthetic quanta
   */
  public record Band(long from, long to, long size) {}

  /**
   * One side of the ladder.
   *
   * @param bands the bands, nearest to the oracle price first
   * @param beyond Σ |size| of the positions past the last band
   * @param never Σ |size| of the positions no price liquidates
   */
  public record Side(List<Band> bands, long beyond, long never) {
    /** Copies. */
    public Side {
      bands = List.copyOf(bands);
    }
  }

  /**
   * Builds the ladder.
   *
   * @param oraclePrice P, 32.32, &gt; 0
   * @param bands bands per side, ≥ 1
   * @param bandPpm band width, 1 to 10^6 ppm of P
   * @param positions the market's positions (sizes ≠ 0 count; zero sizes are ignored)
   * @return the ladder
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static LiquidationLadder of(
      long oraclePrice, int bands, long bandPpm, List<ReadModel.Position> positions) {
    if (oraclePrice <= 0 || bands < 1 || bandPpm < 1 || bandPpm > 1_000_000) {
      throw new IllegalArgumentException(
          "oracle price > 0, bands ≥ 1 and bandPpm in [1, 10^6] needed");
    }
    long[] down = new long[bands + 1]; // long edges, down[k] = floor(P·(10^6 − k·w)/10^6) ≥ 0
    long[] up = new long[bands + 1]; // short edges, up[k] = ceil(P·(10^6 + k·w)/10^6)
    BigInteger p = BigInteger.valueOf(oraclePrice);
    for (int k = 0; k <= bands; k++) {
      BigInteger kw = BigInteger.valueOf(k).multiply(BigInteger.valueOf(bandPpm));
      BigInteger lower = p.multiply(MILLION.subtract(kw));
      down[k] = lower.signum() <= 0 ? 0 : lower.divide(MILLION).longValueExact();
      BigInteger[] qr = p.multiply(MILLION.add(kw)).divideAndRemainder(MILLION);
      BigInteger ceil = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
      up[k] = ceil.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }
    Tally longs = new Tally(bands);
    Tally shorts = new Tally(bands);
    for (ReadModel.Position pos : positions) {
      long size = pos.size();
      if (size == 0) {
        continue;
      }
      long abs = size > 0 ? size : Math.negateExact(size);
      Tally side = size > 0 ? longs : shorts;
      Long liq = pos.liquidationPrice();
      if (liq == null) {
        side.never = Math.addExact(side.never, abs);
      } else {
        side.add(abs, size > 0 ? longBand(down, liq) : shortBand(up, liq));
      }
    }
    List<Band> longBands = new ArrayList<>(bands);
    List<Band> shortBands = new ArrayList<>(bands);
    for (int k = 0; k < bands; k++) {
      longBands.add(new Band(down[k + 1], down[k], longs.sizes[k]));
      shortBands.add(new Band(up[k], up[k + 1], shorts.sizes[k]));
    }
    return new LiquidationLadder(
        oraclePrice,
        bandPpm,
        new Side(longBands, longs.beyond, longs.never),
        new Side(shortBands, shorts.beyond, shorts.never));
  }

  /** One side's running sums of position sizes while the ladder is built. */
  private static final class Tally {
    final long[] sizes;
    long beyond;
    long never;

    Tally(int bands) {
      sizes = new long[bands];
    }

    /** Adds a position of size {@code abs} whose liquidation price is in band k (-1: beyond). */
    void add(long abs, int k) {
      if (k < 0) {
        beyond = Math.addExact(beyond, abs);
      } else {
        sizes[k] = Math.addExact(sizes[k], abs);
      }
    }
  }

  /** The long band holding {@code liq}, or -1 beyond the last. */
  private static int longBand(long[] down, long liq) {
    if (liq >= down[0]) {
      return 0;
    }
    for (int k = 0; k + 1 < down.length; k++) {
      if (liq > down[k + 1]) {
        return k;
      }
    }
    return -1;
  }

  /** The short band holding {@code liq}, or -1 beyond the last. */
  private static int shortBand(long[] up, long liq) {
    if (liq < up[0]) {
      return 0;
    }
    for (int k = 0; k + 1 < up.length; k++) {
      if (liq < up[k + 1]) {
        return k;
      }
    }
    return -1;
  }
}
