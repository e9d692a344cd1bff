package io.zkperp.client.l1;

import java.io.IOException;

/** The L1 node does not answer (or there is no rollup contract at the address given). */
public final class L1UnreachableException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, with the L1 URL
   * @param cause the transport failure
   */
  public L1UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
