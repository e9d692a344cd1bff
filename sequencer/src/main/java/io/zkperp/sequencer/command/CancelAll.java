package io.zkperp.sequencer.command;

/**
 * Cancels every live order (resting or conditional) of an account, in one market or in all. A
 * cancel-all from a trader carries the trader's authorisation, which the journal records with it:
 * {@code validUntil} and the EdDSA signature over the protocol's {@link
 * io.zkperp.protocol.message.CancelAllMessage} of (account, market, validUntil), verified by the
 * gateway before it submits the command. An unsigned one (no signature, {@code validUntil} 0) is
 * the engine's own: tests and benchmarks. Immutable; any thread.
 *
 * @param account the owner
 * @param market the market, or {@link #ALL_MARKETS}
 * @param validUntil the end of the signature's validity, unix seconds (0 when unsigned)
 * @param authorisation the 64-byte signature, or {@link TraderSignature#NONE} when unsigned
 */
public record CancelAll(int account, int market, long validUntil, TraderSignature authorisation)
    implements Command, TraderSigned {
  /** The market value meaning "every market". */
  public static final int ALL_MARKETS = -1;

  /** Checks for null. */
  public CancelAll {
    TraderSignature.required(authorisation);
  }

  /**
   * A cancel-all with its signature bytes.
   *
   * @param account the owner
   * @param market the market or {@link #ALL_MARKETS}
   * @param validUntil unix seconds
   * @param signature 64 bytes, or none
   * @throws IllegalArgumentException if the signature has another length
   */
  public CancelAll(int account, int market, long validUntil, byte[] signature) {
    this(account, market, validUntil, TraderSignature.ofOptional(signature));
  }

  /**
   * An unsigned cancel-all (the engine's own: tests and benchmarks).
   *
   * @param account the owner
   * @param market the market or {@link #ALL_MARKETS}
   */
  public CancelAll(int account, int market) {
    this(account, market, 0, TraderSignature.NONE);
  }
}
