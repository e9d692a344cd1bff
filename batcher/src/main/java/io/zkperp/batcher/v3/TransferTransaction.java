package io.zkperp.batcher.v3;

import io.zkperp.protocol.message.TransferMessage;
import java.util.Objects;

/**
 * A signed transfer: the message (signed-message format 2) and its 64-byte signature by the
 * sender's key. Immutable (the signature is copied); any thread.
 *
 * @param message the transfer
 * @param signature 64 bytes over {@code message.hash(domain)}
 */
public record TransferTransaction(TransferMessage message, byte[] signature)
    implements CollateralTransaction {
  /** Copies the signature and validates that nothing is null. */
  public TransferTransaction {
    Objects.requireNonNull(message, "message");
    signature = Objects.requireNonNull(signature, "signature").clone();
  }

  @Override
  public int account() {
    return message.account();
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
