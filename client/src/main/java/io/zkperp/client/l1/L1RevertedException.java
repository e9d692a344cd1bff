package io.zkperp.client.l1;

/**
 * An L1 call that the rollup or the token refuses, found by simulating it ({@code eth_call}) before
 * anything is signed or sent, or a transaction mined with status 0. {@link #error()} names the
 * contract's custom error with its arguments, e.g. {@code AccountNotBound(3, 0xab…)}, when the ABI
 * declares it.
 */
public final class L1RevertedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The decoded error, or the raw revert data. */
  private final String error;

  /**
   * Creates the exception.
   *
   * @param what the call, e.g. {@code deposit}
   * @param error the decoded custom error, or the raw revert data
   */
  public L1RevertedException(String what, String error) {
    super(what + " reverted: " + error);
    this.error = error;
  }

  /**
   * The decoded custom error with its arguments, or the raw revert data.
   *
   * @return e.g. {@code NothingToWithdraw()}
   */
  public String error() {
    return error;
  }
}
