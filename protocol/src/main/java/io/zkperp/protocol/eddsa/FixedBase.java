package io.zkperp.protocol.eddsa;

/** The comb table of the base point B, built once. Any thread. */
final class FixedBase {
  private static final CombTable TABLE = CombTable.of(EdwardsPoint.BASE);

  private FixedBase() {}

  static ExtendedPoint multiply(long[] k) {
    return TABLE.multiply(k);
  }
}
