package io.zkperp.protocol.eddsa;

import io.zkperp.protocol.field.Fr;

/**
 * Extended twisted Edwards coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, T = XY/Z, with the a = −1
 * formulas of Hisil–Wong–Carter–Dawson 2008 (add-2008-hwcd-3, dbl-2008-hwcd), complete on this
 * curve. Internal to the package; immutable.
 */
final class ExtendedPoint {
  static final ExtendedPoint IDENTITY = new ExtendedPoint(Fr.ZERO, Fr.ONE, Fr.ONE, Fr.ZERO);
  private static final Fr K = EdwardsPoint.D.dbl(); // 2d

  final Fr x;
  final Fr y;
  final Fr z;
  final Fr t;

  ExtendedPoint(Fr x, Fr y, Fr z, Fr t) {
    this.x = x;
    this.y = y;
    this.z = z;
    this.t = t;
  }

  static ExtendedPoint from(EdwardsPoint p) {
    return new ExtendedPoint(p.x(), p.y(), Fr.ONE, p.x().mul(p.y()));
  }

  ExtendedPoint add(ExtendedPoint q) {
    Fr a = y.sub(x).mul(q.y.sub(q.x));
    Fr b = y.add(x).mul(q.y.add(q.x));
    Fr c = t.mul(K).mul(q.t);
    Fr d = z.mul(q.z).dbl();
    return combine(a, b, c, d);
  }

  /** Adds a point given in precomputed affine form (y−x, y+x, 2d·x·y). */
  ExtendedPoint addPrecomputed(Fr yMinusX, Fr yPlusX, Fr kxy) {
    Fr a = y.sub(x).mul(yMinusX);
    Fr b = y.add(x).mul(yPlusX);
    Fr c = t.mul(kxy);
    Fr d = z.dbl();
    return combine(a, b, c, d);
  }

  private static ExtendedPoint combine(Fr a, Fr b, Fr c, Fr d) {
    Fr e = b.sub(a);
    Fr f = d.sub(c);
    Fr g = d.add(c);
    Fr h = b.add(a);
    return new ExtendedPoint(e.mul(f), g.mul(h), f.mul(g), e.mul(h));
  }

  ExtendedPoint dbl() {
    Fr a = x.square();
    Fr b = y.square();
    Fr c = z.square().dbl();
    Fr d = a.neg();
    Fr e = x.add(y).square().sub(a).sub(b);
    Fr g = d.add(b);
    Fr f = g.sub(c);
    Fr h = d.sub(b);
    return new ExtendedPoint(e.mul(f), g.mul(h), f.mul(g), e.mul(h));
  }

  ExtendedPoint negate() {
    return new ExtendedPoint(x.neg(), y, z, t.neg());
  }

  /** [k]this with a 4-bit fixed window, k as little-endian limbs. */
  ExtendedPoint multiply(long[] k) {
    ExtendedPoint[] table = new ExtendedPoint[16];
    table[0] = IDENTITY;
    table[1] = this;
    for (int i = 2; i < 16; i++) {
      table[i] = table[i - 1].add(this);
    }
    ExtendedPoint acc = IDENTITY;
    boolean started = false;
    for (int nibble = k.length * 16 - 1; nibble >= 0; nibble--) {
      int digit = (int) ((k[nibble >>> 4] >>> ((nibble & 15) * 4)) & 15);
      if (started) {
        acc = acc.dbl().dbl().dbl().dbl();
      }
      if (digit != 0) {
        acc = acc.add(table[digit]);
        started = true;
      }
    }
    return acc;
  }

  ExtendedPoint multiplyByCofactor() {
    return dbl().dbl().dbl();
  }

  boolean isIdentity() {
    // x = 0 and y = 1, projectively: X = 0 and Y = Z
    return x.isZero() && y.equals(z);
  }

  boolean sameAs(ExtendedPoint q) {
    return x.mul(q.z).equals(q.x.mul(z)) && y.mul(q.z).equals(q.y.mul(z));
  }

  EdwardsPoint toAffine() {
    Fr zi = z.inverse();
    return new EdwardsPoint(x.mul(zi), y.mul(zi));
  }
}
