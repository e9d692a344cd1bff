package io.zkperp.batcher.v3.ticks;

import java.util.List;
import java.util.Objects;

/**
 * A tick step the batcher refused; the state batch is unchanged. It lists every broken rule in the
 * order the Go reference reports them, or the single other refusal. Immutable; any thread.
 */
public final class TickRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The reasons, at least one. */
  private final TickRefusalReason[] reasons;

  /**
   * Creates the exception.
   *
   * @param reasons the reasons (not empty)
   * @param message what was wrong
   */
  public TickRefusedException(List<TickRefusalReason> reasons, String message) {
    super(Objects.requireNonNull(reasons, "reasons") + ": " + message);
    this.reasons = reasons.toArray(new TickRefusalReason[0]);
    if (this.reasons.length == 0) {
      throw new IllegalArgumentException("a refusal needs a reason");
    }
  }

  /**
   * The reasons.
   *
   * @return the reasons, in the reference's order
   */
  public List<TickRefusalReason> reasons() {
    return List.of(reasons);
  }
}
