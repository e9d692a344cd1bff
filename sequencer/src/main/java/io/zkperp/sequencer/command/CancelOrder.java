package io.zkperp.sequencer.command;

import java.util.Arrays;
import java.util.Objects;

/**
 * Cancels one live order of an account, by order id or by client order id. A cancel from a trader
 * carries the trader's authorisation, which the journal records with it: {@code validUntil} and the
 * EdDSA signature over the protocol's {@link io.zkperp.protocol.message.CancelOrderMessage} of
 * (account, byClientOrderId, id, validUntil), verified by the gateway before it submits the cancel
 * (the core trusts its caller). An unsigned cancel (no signature, {@code validUntil} 0) is the
 * engine's own: tests and benchmarks. Immutable; any thread.
 *
 * @param account the owner; an order of another account is "unknown"
 * @param byClientOrderId whether {@code id} is a client order id (else an order id)
 * @param id the order id, or the client order id (an unsigned 32-bit value)
 * @param validUntil the end of the signature's validity, unix seconds (0 when unsigned)
 * @param signature the 64-byte signature, or no bytes when unsigned
 */
public record CancelOrder(
    int account, boolean byClientOrderId, long id, long validUntil, byte[] signature)
    implements Command {

  /**
   * Checks the signature length.
   *
   * @param account the owner
   * @param byClientOrderId whether id is a client order id
   * @param id the order id or client order id
   * @param validUntil unix seconds
   * @param signature 64 bytes, or none
   */
  public CancelOrder {
    signature = CommandSignatures.checkedOrNone(signature).clone();
  }

  /**
   * An unsigned cancel (the engine's own: tests and benchmarks).
   *
   * @param account the owner
   * @param byClientOrderId whether id is a client order id
   * @param id the order id or client order id
   */
  public CancelOrder(int account, boolean byClientOrderId, long id) {
    this(account, byClientOrderId, id, 0, new byte[0]);
  }

  /**
   * Whether the cancel carries a trader's signature.
   *
   * @return true iff the signature has 64 bytes
   */
  public boolean signed() {
    return CommandSignatures.signed(signature);
  }

  /**
   * The signature (a copy).
   *
   * @return 64 bytes, or none when unsigned
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CancelOrder c
        && account == c.account
        && byClientOrderId == c.byClientOrderId
        && id == c.id
        && validUntil == c.validUntil
        && Arrays.equals(signature, c.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, byClientOrderId, id, validUntil) * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "CancelOrder[account="
        + account
        + (byClientOrderId ? ", clientOrderId=" : ", orderId=")
        + id
        + CommandSignatures.describe(validUntil, signature)
        + "]";
  }
}
