package io.zkperp.sequencer.command;

import java.util.Arrays;
import java.util.Objects;

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
 * @param signature the 64-byte signature, or no bytes when unsigned
 */
public record CancelAll(int account, int market, long validUntil, byte[] signature)
    implements Command {
  /** The market value meaning "every market". */
  public static final int ALL_MARKETS = -1;

  /**
   * Checks the signature length.
   *
   * @param account the owner
   * @param market the market or {@link #ALL_MARKETS}
   * @param validUntil unix seconds
   * @param signature 64 bytes, or none
   */
  public CancelAll {
    signature = CommandSignatures.checkedOrNone(signature).clone();
  }

  /**
   * An unsigned cancel-all (the engine's own: tests and benchmarks).
   *
   * @param account the owner
   * @param market the market or {@link #ALL_MARKETS}
   */
  public CancelAll(int account, int market) {
    this(account, market, 0, new byte[0]);
  }

  /**
   * Whether the command carries a trader's signature.
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
    return o instanceof CancelAll c
        && account == c.account
        && market == c.market
        && validUntil == c.validUntil
        && Arrays.equals(signature, c.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, market, validUntil) * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "CancelAll[account="
        + account
        + ", market="
        + (market == ALL_MARKETS ? "all" : Integer.toString(market))
        + CommandSignatures.describe(validUntil, signature)
        + "]";
  }
}
