package io.zkperp.batcher.v3;

/**
 * A forced trade's outcome (Go {@code forcedtrade/reference.Reason}, the circuit's witness {@code
 * Reason}, the record's last byte): executed, or the first reason it is invalid, checked in the
 * order unknown market, stale, bad signature, no free entry, out of range, risk.
 */
public enum ForcedTradeReason {
  /** Every rule holds: the trade is applied. */
  EXECUTED(0),
  /** A's fill slot for the nonce holds a nonce ≥ it. */
  STALE(1),
  /** B's signature does not verify under B's key. */
  BAD_SIGNATURE(2),
  /** The margin of A or B, the position size limit or the open-interest cap fails. */
  RISK(3),
  /** The market is not listed. */
  UNKNOWN_MARKET(4),
  /** A or B has no entry holding the market and no empty entry. */
  NO_FREE_ENTRY(5),
  /** A value the execution would write does not fit layout v2. */
  OUT_OF_RANGE(6);

  private final int code;

  ForcedTradeReason(int code) {
    this.code = code;
  }

  /**
   * The code in the record and the witness.
   *
   * @return 0 … 6
   */
  public int code() {
    return code;
  }
}
