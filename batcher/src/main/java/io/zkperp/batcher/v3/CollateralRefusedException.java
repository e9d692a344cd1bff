package io.zkperp.batcher.v3;

import java.util.List;
import java.util.Objects;

/**
 * A collateral transaction the batcher refused; the state batch is unchanged. It lists every broken
 * rule in the order the Go reference reports them, or the single other refusal. Immutable; any
 * thread.
 */
public final class CollateralRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The reasons, at least one. */
  private final CollateralRefusalReason[] reasons;

  /**
   * Creates the exception.
   *
   * @param reasons the reasons (not empty)
   * @param message what was wrong
   */
  public CollateralRefusedException(List<CollateralRefusalReason> reasons, String message) {
    super(Objects.requireNonNull(reasons, "reasons") + ": " + message);
    this.reasons = reasons.toArray(new CollateralRefusalReason[0]);
    if (this.reasons.length == 0) {
      throw new IllegalArgumentException("a refusal needs a reason");
    }
  }

  /**
   * The reasons.
   *
   * @return the reasons, in the reference's order
   */
  public List<CollateralRefusalReason> reasons() {
    return List.of(reasons);
  }
}
