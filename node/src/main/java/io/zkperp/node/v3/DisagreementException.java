package io.zkperp.node.v3;

/**
 * The tree disagrees with the engine's record after a step: the command was not written. Any
 * thread.
 */
public final class DisagreementException extends SettlementStoppedException {
  private static final long serialVersionUID = 1L;

  private final transient Disagreement disagreement;

  /**
   * A disagreement.
   *
   * @param d what differs
   */
  DisagreementException(Disagreement d) {
    super(d.seq(), d.step(), d.toString(), null);
    this.disagreement = d;
  }

  /**
   * What differs.
   *
   * @return the command, step, record, field and both values
   */
  public Disagreement disagreement() {
    return disagreement;
  }
}
