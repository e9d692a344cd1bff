package io.zkperp.batcher.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.ForcedTradeMessage;
import io.zkperp.protocol.state.L1Address;
import java.util.Objects;

/**
 * A forced-trade request as L1 queued it (docs/perp-circuit.md §12): account A buys ({@code aBuys})
 * or sells {@code size} quanta of {@code market} to or from account B for {@code amount} collateral
 * quanta at A's {@code nonce}; {@code ownerA} sent it; B signed the message hash with signature (R
 * = (rx, ry), S). Size, amount and nonce are unsigned 64-bit values. Immutable; any thread.
 *
 * @param accountA the requester's account
 * @param accountB the counterparty
 * @param market the market id (L1 queues it below 2^16)
 * @param aBuys whether A buys
 * @param size the size in synthetic quanta
 * @param amount the collateral paid by the buyer
 * @param nonce A's nonce for the request
 * @param ownerA the L1 address that sent the request
 * @param rx R's x
 * @param ry R's y
 * @param s the scalar S as a field element
 */
public record ForcedTradeRequest(
    long accountA,
    long accountB,
    int market,
    boolean aBuys,
    long size,
    long amount,
    long nonce,
    L1Address ownerA,
    Fr rx,
    Fr ry,
    Fr s) {
  /** Validates that no component is null. */
  public ForcedTradeRequest {
    Objects.requireNonNull(ownerA, "ownerA");
    Objects.requireNonNull(rx, "rx");
    Objects.requireNonNull(ry, "ry");
    Objects.requireNonNull(s, "s");
  }

  /**
   * The message B signed: the request without its L1 fields.
   *
   * @return the forced-trade message (accounts packed as their low 32 bits)
   */
  public ForcedTradeMessage message() {
    return new ForcedTradeMessage(
        (int) accountA, (int) accountB, market, aBuys, size, amount, nonce);
  }

  /**
   * The priority operation's hash, as the L1 desk queued it.
   *
   * @return {@code H(TAG_OP, e1, e2, ownerA, R.x, R.y, S)}
   */
  public Fr opHash() {
    return message().opHash(ownerA, rx, ry, s);
  }
}
