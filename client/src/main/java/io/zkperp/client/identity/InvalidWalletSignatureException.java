package io.zkperp.client.identity;

/**
 * A wallet signature that is malformed (not 65 bytes, v not 0/1/27/28, r or s out of range) or that
 * is not the expected wallet's signature of the key typed data. Nothing is derived.
 */
public final class InvalidWalletSignatureException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong
   */
  public InvalidWalletSignatureException(String message) {
    super(message);
  }
}
