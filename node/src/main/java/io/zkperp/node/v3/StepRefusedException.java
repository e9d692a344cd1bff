package io.zkperp.node.v3;

import java.util.List;

/**
 * The batcher refused a step the engine accepted (the circuit would refuse it): the command was not
 * written. The cause is the batcher's typed refusal ({@code TradeRefusedException}, {@code
 * CollateralRefusedException} or {@code TickRefusedException}). Any thread.
 */
public final class StepRefusedException extends SettlementStoppedException {
  private static final long serialVersionUID = 1L;

  private final transient V3Step refused;
  private final transient List<String> reasons;

  /**
   * A refusal.
   *
   * @param seq the command's journal sequence
   * @param step the step's index
   * @param refused the step
   * @param reasons the batcher's reason names
   * @param cause the batcher's exception
   */
  StepRefusedException(long seq, int step, V3Step refused, List<String> reasons, Exception cause) {
    super(
        seq,
        step,
        "journal record "
            + seq
            + " step "
            + step
            + " ("
            + (refused.record() == null ? "forced withdrawal" : refused.record())
            + ") refused by the batcher: "
            + reasons
            + ": "
            + cause.getMessage(),
        cause);
    this.refused = refused;
    this.reasons = List.copyOf(reasons);
  }

  /**
   * The refused step.
   *
   * @return the step
   */
  public V3Step refused() {
    return refused;
  }

  /**
   * The batcher's reasons, by name (the Go rule names' enum constants).
   *
   * @return the names
   */
  public List<String> reasons() {
    return reasons;
  }
}
