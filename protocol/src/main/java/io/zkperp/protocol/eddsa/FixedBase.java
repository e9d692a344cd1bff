package io.zkperp.protocol.eddsa;

import io.zkperp.protocol.field.Fr;

/**
 * Precomputed multiples of the base point: {@code TABLE[i][j] = j·16^i·B} for 64 windows of 4 bits,
 * in the affine form (y−x, y+x, 2d·x·y) for mixed addition. Built once, lazily, on first use (about
 * 1,000 point additions).
 */
final class FixedBase {
  private static final int WINDOWS = 64;
  private static final Fr[][][] TABLE = build();

  private FixedBase() {}

  static ExtendedPoint multiply(long[] k) {
    ExtendedPoint acc = ExtendedPoint.IDENTITY;
    for (int w = 0; w < WINDOWS && (w >>> 4) < k.length; w++) {
      int digit = (int) ((k[w >>> 4] >>> ((w & 15) * 4)) & 15);
      if (digit != 0) {
        Fr[] e = TABLE[w][digit];
        acc = acc.addPrecomputed(e[0], e[1], e[2]);
      }
    }
    return acc;
  }

  private static Fr[][][] build() {
    Fr k = EdwardsPoint.D.dbl();
    Fr[][][] table = new Fr[WINDOWS][16][];
    ExtendedPoint base = ExtendedPoint.from(EdwardsPoint.BASE);
    for (int w = 0; w < WINDOWS; w++) {
      ExtendedPoint p = ExtendedPoint.IDENTITY;
      for (int j = 1; j < 16; j++) {
        p = p.add(base);
        EdwardsPoint a = p.toAffine();
        table[w][j] = new Fr[] {a.y().sub(a.x()), a.y().add(a.x()), k.mul(a.x()).mul(a.y())};
      }
      base = base.dbl().dbl().dbl().dbl();
    }
    return table;
  }
}
