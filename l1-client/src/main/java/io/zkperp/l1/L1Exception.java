package io.zkperp.l1;

/**
 * A failed L1 interaction that is not a contract revert: the node is unreachable, a transaction was
 * not mined, or a receipt reports failure without revert data. Unchecked; immutable.
 */
public class L1Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the underlying failure, or null
   */
  public L1Exception(String message, Throwable cause) {
    super(message, cause);
  }
}
