package io.zkperp.protocol.message;

import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.StateLayout;

/**
 * The forced trade account B signs and account A's owner requests on L1 (docs/perp-circuit.md
 * §12.1), as Go's {@code messages.ForcedTradeMessage} and {@code ForcedTradeOp}. Its hash {@code m
 * = H(D_forced-trade, e1, e2)} ({@link MessageDomain#hash}) packs, big-endian and unsigned, {@code
 * e1 = accountA (32) ‖ accountB (32) ‖ market (16) ‖ aBuys (8) ‖ nonce (64)} and {@code e2 = size
 * (64) ‖ amount (64)}; the L1 priority operation's hash is {@code H(TAG_OP, e1, e2, ownerA, R.x,
 * R.y, S)} over B's signature. Immutable; any thread.
 *
 * @param accountA the requester (unsigned 32 bits)
 * @param accountB the counterparty, who signs (unsigned 32 bits)
 * @param market the market id (unsigned 16 bits)
 * @param aBuys true if A buys (B sells)
 * @param size synthetic quanta (unsigned 64 bits)
 * @param amount collateral quanta A pays or receives (unsigned 64 bits)
 * @param nonce A's nonce (unsigned 64 bits)
 */
public record ForcedTradeMessage(
    int accountA, int accountB, int market, boolean aBuys, long size, long amount, long nonce) {
  /** The operation's tag: the ASCII of {@code "zkperp/forced-trade/v1"}. */
  public static final Fr TAG_OP = StateLayout.tag("zkperp/forced-trade/v1");

  /**
   * Checks the market's packed width (the accounts, size, amount and nonce are read unsigned).
   *
   * @throws InvalidMessageFieldException if {@code market} is not 0 to 65535
   */
  public ForcedTradeMessage {
    if (market < 0 || market > 0xFFFF) {
      throw new InvalidMessageFieldException(
          MessageType.FORCED_TRADE, "market", market, "0 to 65535");
    }
  }

  /**
   * The packed elements e1, e2.
   *
   * @return two elements
   */
  public Fr[] packed() {
    return new Fr[] {
      new Packing()
          .put(accountA, 32)
          .put(accountB, 32)
          .put(market, 16)
          .put(aBuys ? 1 : 0, 8)
          .put(nonce, 64)
          .element(),
      new Packing().put(size, 64).put(amount, 64).element()
    };
  }

  /**
   * The message hash B signs.
   *
   * @param domain the deployment
   * @return {@code H(D_forced-trade, e1, e2)}
   */
  public Fr hash(MessageDomain domain) {
    return domain.hash(MessageType.FORCED_TRADE, packed());
  }

  /**
   * Verifies B's signature over this message (call it off network event loops).
   *
   * @param verifier the verifier
   * @param keyB account B's registered public key
   * @param signature the 64 signature bytes
   * @param domain the deployment
   * @return true iff valid; false for malformed signature bytes too
   */
  public boolean verify(
      SignatureVerifier verifier, EdDsaPublicKey keyB, byte[] signature, MessageDomain domain) {
    return Signatures.verify(verifier, keyB, signature, domain, MessageType.FORCED_TRADE, packed());
  }

  /**
   * The priority operation's hash, as the L1 desk queues it.
   *
   * @param ownerA account A's owner, who requested it
   * @param rx B's signature's R, x coordinate
   * @param ry B's signature's R, y coordinate
   * @param s B's signature's S
   * @return {@code H(TAG_OP, e1, e2, ownerA, R.x, R.y, S)}
   */
  public Fr opHash(L1Address ownerA, Fr rx, Fr ry, Fr s) {
    Fr[] p = packed();
    return Poseidon2.hash(TAG_OP, p[0], p[1], ownerA.toField(), rx, ry, s);
  }
}
