package io.zkperp.batcher.v3.liquidation;

import io.zkperp.batcher.v3.ExecutedStep;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import io.zkperp.state.v2.AccountUpdateV2;
import io.zkperp.state.v2.GlobalUpdateV2;
import io.zkperp.state.v2.MarketUpdateV2;
import io.zkperp.state.v2.StateRootsV2;
import java.util.Objects;

/**
 * An executed liquidation fill, takeover or deleveraging with what its step opens, in the step's
 * order: the liquidated (taken-over, deleveraged) account; for a fill the liquidator's fill leaf
 * and account; the counterparty (the insurance fund, or the deleverager); the market; for a fill
 * the global leaf. Each opening carries the roots before and after, chaining from {@link
 * #rootsBefore} to {@link #rootsAfter}. The format v3 witness encoding is not defined yet.
 * Immutable (the public data is copied); any thread.
 *
 * @param transaction the transaction
 * @param account the liquidated, taken-over or deleveraged account's opening
 * @param liquidator the liquidator's opening (fill leaf and account), or null for a takeover or
 *     deleveraging
 * @param counterparty the fund's (fill, takeover) or the deleverager's opening
 * @param market the market's opening
 * @param global the global leaf's opening (fee balance), or null for a takeover or deleveraging
 *     (the leaf is unchanged)
 * @param publicData the step's public data
 */
public record LiquidationWitness(
    LiquidationTransaction transaction,
    AccountLeafUpdateV2 account,
    AccountUpdateV2 liquidator,
    AccountLeafUpdateV2 counterparty,
    MarketUpdateV2 market,
    GlobalUpdateV2 global,
    byte[] publicData)
    implements ExecutedStep {
  /** Validates that the openings of the transaction's type are present. */
  public LiquidationWitness {
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(counterparty, "counterparty");
    Objects.requireNonNull(market, "market");
    boolean fill = transaction instanceof LiquidationFill;
    if (fill != (liquidator != null) || fill != (global != null)) {
      throw new IllegalArgumentException("the liquidator and global openings belong to a fill");
    }
    publicData = Objects.requireNonNull(publicData, "publicData").clone();
  }

  /**
   * The public data.
   *
   * @return a copy
   */
  @Override
  public byte[] publicData() {
    return publicData.clone();
  }

  /**
   * The roots before the step.
   *
   * @return the first opening's roots before
   */
  public StateRootsV2 rootsBefore() {
    return account.rootsBefore();
  }

  /**
   * The roots after the step.
   *
   * @return the last opening's roots after
   */
  public StateRootsV2 rootsAfter() {
    return global != null ? global.rootsAfter() : market.rootsAfter();
  }

  /**
   * Whether every opening is consistent and each one's roots before are the previous one's after.
   *
   * @return true if the openings chain from the old roots to the new
   */
  public boolean isConsistent() {
    boolean ok = account.isConsistent() && counterparty.isConsistent() && market.isConsistent();
    StateRootsV2 last = account.rootsAfter();
    if (liquidator != null) {
      ok &= liquidator.isConsistent() && liquidator.rootsBefore().equals(last);
      last = liquidator.rootsAfter();
    }
    ok &=
        counterparty.rootsBefore().equals(last)
            && market.rootsBefore().equals(counterparty.rootsAfter());
    if (global != null) {
      ok &= global.isConsistent() && global.rootsBefore().equals(market.rootsAfter());
    }
    return ok;
  }
}
