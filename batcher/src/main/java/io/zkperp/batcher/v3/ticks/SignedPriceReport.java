package io.zkperp.batcher.v3.ticks;

import io.zkperp.protocol.message.OraclePriceMessage;
import java.util.Objects;

/**
 * One signed oracle report as the engine journals it ({@code SignedOraclePrices}): the signer named
 * by its slot in the global leaf's signer tree, and its signature over the format 2 {@link
 * OraclePriceMessage} {@code (market, price, timestamp)}. Values are not checked here: the tick's
 * execution refuses bad ones with their rule. Immutable (the signature is copied); any thread.
 *
 * @param signer the signer's slot, 0 … 15 for a slot of the tree
 * @param market the market the report is for (unsigned 32 bits)
 * @param price the price, 32.32
 * @param timestamp the report's time, Unix seconds
 * @param signature the 64-byte signature
 */
public record SignedPriceReport(
    int signer, int market, long price, long timestamp, byte[] signature) {
  /** Copies the signature. */
  public SignedPriceReport {
    signature = Objects.requireNonNull(signature, "signature").clone();
  }

  /**
   * The signature bytes.
   *
   * @return a copy
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /**
   * The signed message.
   *
   * @return {@code (market, price, timestamp)}
   */
  public OraclePriceMessage message() {
    return new OraclePriceMessage(market, price, timestamp);
  }
}
