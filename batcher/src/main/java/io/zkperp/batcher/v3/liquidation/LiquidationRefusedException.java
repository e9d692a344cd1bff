package io.zkperp.batcher.v3.liquidation;

import java.util.List;
import java.util.Objects;

/**
 * A liquidation fill, takeover or deleveraging the batcher refused; the state batch is unchanged.
 * It lists every broken rule in the order the Go reference reports them, or the single typed error.
 * Immutable; any thread.
 */
public final class LiquidationRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The reasons, at least one. */
  private final LiquidationRefusalReason[] reasons;

  /**
   * Creates the exception.
   *
   * @param reasons the reasons (not empty)
   * @param message what was wrong
   */
  public LiquidationRefusedException(List<LiquidationRefusalReason> reasons, String message) {
    super(Objects.requireNonNull(reasons, "reasons") + ": " + message);
    this.reasons = reasons.toArray(new LiquidationRefusalReason[0]);
    if (this.reasons.length == 0) {
      throw new IllegalArgumentException("a refusal needs a reason");
    }
  }

  /**
   * The reasons.
   *
   * @return the reasons, in the reference's order
   */
  public List<LiquidationRefusalReason> reasons() {
    return List.of(reasons);
  }
}
