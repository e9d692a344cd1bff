package io.zkperp.l1;

/**
 * A format v3 deployment would not land at the rollup address its shape's keys were set up for
 * (another chain, or a deployer whose nonce is not the one the keys' address needs); thrown by
 * {@link RollupV3Deployer} before anything is sent. Unchecked; immutable.
 */
public final class WrongDeploymentAddressException extends L1Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the keys' domain, the chain, the deployer's nonce and where the rollup would go
   */
  public WrongDeploymentAddressException(String message) {
    super(message, null);
  }
}
