package io.zkperp.batcher.v3.witness;

import java.util.Objects;

/**
 * A trade's witness cannot be written as a format v3 trade slot of the requested shape: the Go
 * reference ({@code perpstep.WitnessBound}) refuses the same trades with {@code ErrShape}, or the
 * witness does not hold together. Nothing is written. Any thread.
 */
public final class TradeElementsException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the trade slot cannot be written. */
  public enum Reason {
    /** N is not in 1 … 8 or K not in 1 … 64. */
    SHAPE_UNSUPPORTED,
    /** The trade's market is K or above: the table does not hold it. */
    MARKET_BEYOND_TABLE,
    /** An account uses (before or after the trade) or selects a list entry at N or above. */
    ENTRY_BEYOND_LIST,
    /** An order's signature bytes are not a signature (gnark-crypto {@code SetBytes} refuses). */
    MALFORMED_SIGNATURE,
    /** The witness's markets do not hash to the markets root its market opening starts from. */
    INCONSISTENT_MARKETS
  }

  private final Reason reason;

  /**
   * A refusal.
   *
   * @param reason why
   * @param message what exactly
   */
  public TradeElementsException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the slot cannot be written.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
