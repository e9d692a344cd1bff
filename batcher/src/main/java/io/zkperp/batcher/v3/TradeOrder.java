package io.zkperp.batcher.v3;

import io.zkperp.protocol.message.OrderMessage;
import java.util.Objects;

/**
 * One side of a trade: the signed order (signed-message format 2), its 64-byte signature and the
 * fee rate its account pays on this fill (ppm, negative = rebate), bounded by the signed cap.
 * Immutable (the signature is copied); any thread.
 *
 * @param order the signed order
 * @param signature 64 bytes over {@code order.hash(domain)}
 * @param feePpm the fee rate on this fill
 */
public record TradeOrder(OrderMessage order, byte[] signature, long feePpm) {
  /** Copies the signature and validates that nothing is null. */
  public TradeOrder {
    Objects.requireNonNull(order, "order");
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
}
