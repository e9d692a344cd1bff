package io.zkperp.sequencer;

/** The side of an order. Immutable; any thread. */
public enum Side {
  /** Buys the synthetic asset (goes long). */
  BUY,
  /** Sells the synthetic asset (goes short). */
  SELL;

  /**
   * The other side.
   *
   * @return SELL for BUY and BUY for SELL
   */
  public Side opposite() {
    return this == BUY ? SELL : BUY;
  }

  /**
   * The side's code in the signed message and the journal: BUY = 0, SELL = 1.
   *
   * @return 0 or 1
   */
  public int code() {
    return this == BUY ? 0 : 1;
  }
}
