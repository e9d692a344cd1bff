package io.zkperp.client;

/** A command's batch that the node marked FAILED: the prover refused its witness. */
public final class SettlementFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which batch and record
   */
  public SettlementFailedException(String message) {
    super(message);
  }
}
