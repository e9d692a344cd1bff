package io.zkperp.sequencer;

/** How an order prices. Immutable; any thread. */
public enum OrderType {
  /** A limit order: fills at the limit price or better. */
  LIMIT,
  /**
   * A market order: fills immediately at any price up to its worst-price protection (the limit
   * price field); its time in force must be IOC or FOK.
   */
  MARKET
}
