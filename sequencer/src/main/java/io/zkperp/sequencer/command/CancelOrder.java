package io.zkperp.sequencer.command;

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
 * @param authorisation the 64-byte signature, or {@link TraderSignature#NONE} when unsigned
 */
public record CancelOrder(
    int account, boolean byClientOrderId, long id, long validUntil, TraderSignature authorisation)
    implements Command, TraderSigned {

  /** Checks for null. */
  public CancelOrder {
    TraderSignature.required(authorisation);
  }

  /**
   * A cancel with its signature bytes.
   *
   * @param account the owner
   * @param byClientOrderId whether id is a client order id
   * @param id the order id or client order id
   * @param validUntil unix seconds
   * @param signature 64 bytes, or none
   * @throws IllegalArgumentException if the signature has another length
   */
  public CancelOrder(
      int account, boolean byClientOrderId, long id, long validUntil, byte[] signature) {
    this(account, byClientOrderId, id, validUntil, TraderSignature.ofOptional(signature));
  }

  /**
   * An unsigned cancel (the engine's own: tests and benchmarks).
   *
   * @param account the owner
   * @param byClientOrderId whether id is a client order id
   * @param id the order id or client order id
   */
  public CancelOrder(int account, boolean byClientOrderId, long id) {
    this(account, byClientOrderId, id, 0, TraderSignature.NONE);
  }
}
