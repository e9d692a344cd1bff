package io.zkperp.node.v3;

/**
 * The engine's configuration cannot be written into a layout v2 genesis (a market id of 64 or more,
 * oracle signer sets that differ between markets or exceed the 16 slots, more than 8 fee tiers, a
 * fee rate beyond ±10^6 ppm), or the store is not at genesis. Nothing was written. Any thread.
 */
public final class UnrepresentableConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * An unrepresentable configuration.
   *
   * @param message what does not fit, and what layout v2 holds
   */
  public UnrepresentableConfigException(String message) {
    super(message);
  }
}
