package io.zkperp.protocol.message;

/**
 * A forced trade's outcome (docs/perp-circuit.md §12.3): {@link #EXECUTED}, or the reason it is
 * invalid. The codes are the Go reference's {@code forcedtrade/reference.Reason} and the step
 * circuit's witness {@code Reason}; the decision checks them in the order {@link #UNKNOWN_MARKET},
 * {@link #STALE}, {@link #BAD_SIGNATURE}, {@link #NO_FREE_ENTRY}, {@link #OUT_OF_RANGE}, {@link
 * #RISK}, and the first that holds is the outcome. Immutable; any thread.
 */
public enum ForcedTradeReason {
  /** Every rule holds: both accounts trade. */
  EXECUTED(0, "executed"),
  /** A's fill slot for the nonce holds a nonce ≥ it (used, or overtaken in the window). */
  STALE(1, "stale"),
  /** B's signature does not verify under B's key. */
  BAD_SIGNATURE(2, "bad-signature"),
  /** The post-trade margin of A or B, the size limit or the open-interest cap fails. */
  RISK(3, "risk"),
  /** The market has no risk parameters (no market leaf). */
  UNKNOWN_MARKET(4, "unknown-market"),
  /** A or B holds 8 positions, none in the market: the position has no list entry. */
  NO_FREE_ENTRY(5, "no-free-entry"),
  /**
   * A new collateral (64-bit), position size (|size| ≤ 2^55 − 1) or open interest would not fit
   * layout v2.
   */
  OUT_OF_RANGE(6, "out-of-range");

  private final int code;
  private final String label;

  ForcedTradeReason(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /**
   * The reason's code, as the circuit and the records carry it.
   *
   * @return 0 to 6
   */
  public int code() {
    return code;
  }

  /**
   * The Go reference's name of the reason ({@code Reason.String}).
   *
   * @return e.g. {@code "bad-signature"}
   */
  public String label() {
    return label;
  }

  /**
   * The reason of a code.
   *
   * @param code 0 to 6
   * @return its reason
   * @throws IllegalArgumentException for another code
   */
  public static ForcedTradeReason ofCode(int code) {
    for (ForcedTradeReason r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    throw new IllegalArgumentException("no forced-trade reason has code " + code);
  }
}
