package io.zkperp.batcher.v3;

import java.util.List;
import java.util.Objects;

/**
 * A trade the batcher refused; the state batch is unchanged. It lists every broken rule in the
 * order the Go reference reports them (buyer's rules, seller's, then the trade's), or the single
 * other refusal. Immutable; any thread.
 */
public final class TradeRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The reasons, at least one. */
  private final TradeRefusalReason[] reasons;

  /**
   * Creates the exception.
   *
   * @param reasons the reasons (not empty)
   * @param message what was wrong
   */
  public TradeRefusedException(List<TradeRefusalReason> reasons, String message) {
    super(Objects.requireNonNull(reasons, "reasons") + ": " + message);
    this.reasons = reasons.toArray(new TradeRefusalReason[0]);
    if (this.reasons.length == 0) {
      throw new IllegalArgumentException("a refusal needs a reason");
    }
  }

  /**
   * The reasons.
   *
   * @return the reasons, in the reference's order
   */
  public List<TradeRefusalReason> reasons() {
    return List.of(reasons);
  }
}
