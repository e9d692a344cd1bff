package io.zkperp.sequencer.risk;

import io.zkperp.protocol.state.v2.LayoutV2;

/**
 * A forced trade as L1 queued it (docs/perp-circuit.md §12.1): account A (the requester) buys or
 * sells {@code size} of {@code market} from or to account B (who signed) for {@code amount}
 * collateral quanta, under A's {@code nonce}. The constructor refuses what the L1 desk refuses.
 * Immutable; any thread.
 *
 * @param accountA the requester, whose owner sent the request on L1
 * @param accountB the counterparty, whose signature the request carries
 * @param market the market id, below 2^6
 * @param aBuys true if A buys (B sells)
 * @param size synthetic quanta, 1 to 2^55 − 1
 * @param amount collateral quanta A pays (buying) or receives (selling), 1 to 2^63 − 1
 * @param nonce A's nonce, unsigned 64-bit, ≥ 1 (its fill slot is {@code nonce mod 2^12})
 */
public record ForcedTradeRequest(
    int accountA, int accountB, int market, boolean aBuys, long size, long amount, long nonce) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException naming the field L1 would have refused
   */
  public ForcedTradeRequest {
    checkAccount("A", accountA);
    checkAccount("B", accountB);
    if (accountA == accountB) {
      throw new IllegalArgumentException("forced trade: A and B are the same account " + accountA);
    }
    if (market < 0 || market >= 1 << LayoutV2.MARKETS_DEPTH) {
      throw new IllegalArgumentException(
          "forced trade: market " + market + " is not below 2^" + LayoutV2.MARKETS_DEPTH);
    }
    if (size <= 0 || size >= 1L << 55) {
      throw new IllegalArgumentException("forced trade: size " + size + " is not in [1, 2^55)");
    }
    if (amount <= 0) {
      throw new IllegalArgumentException("forced trade: amount " + amount + " is not ≥ 1");
    }
    if (nonce == 0) {
      throw new IllegalArgumentException("forced trade: nonce 0 is not ≥ 1");
    }
  }

  private static void checkAccount(String which, int id) {
    if (id < 0 || id >= AccountBook.MAX_ACCOUNTS) {
      throw new IllegalArgumentException(
          "forced trade: account "
              + which
              + " "
              + id
              + " is not a trader account (0 to "
              + (AccountBook.MAX_ACCOUNTS - 1)
              + ")");
    }
  }

  /**
   * A's signed change of position: {@code +size} if A buys, else {@code −size}.
   *
   * @return the change
   */
  public long deltaA() {
    return aBuys ? size : -size;
  }

  /**
   * What A pays: {@code +amount} if A buys, else {@code −amount} (B pays the opposite).
   *
   * @return A's signed cost
   */
  public long costA() {
    return aBuys ? amount : -amount;
  }
}
