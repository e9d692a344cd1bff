package io.zkperp.gateway.methods;

import io.zkperp.gateway.rpc.RateLimiter;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;

/**
 * The per-account limit on commands (orders and cancels). Orders are charged before the sequencer's
 * intake checks their signature; cancels are charged after the gateway checked theirs. Any thread.
 */
public final class AccountLimit {
  private final RateLimiter<Integer> limiter;

  /**
   * A limit.
   *
   * @param limiter the buckets, by account
   */
  public AccountLimit(RateLimiter<Integer> limiter) {
    this.limiter = limiter;
  }

  /**
   * Refuses early when the account's budget is spent; spends nothing, so requests that later fail
   * their signature check cost the account nothing. Any thread.
   *
   * @param account the account
   * @throws RpcException RATE_LIMITED when the budget is spent
   */
  void check(int account) {
    if (!limiter.hasTokens(account, 1)) {
      throw new RpcException(
          RpcError.RATE_LIMITED,
          "account "
              + account
              + " is over its limit of "
              + limiter.describe()
              + " commands; retry later");
    }
  }

  /**
   * Spends one command of the account's budget once the command is known to be the owner's (its
   * signature verified). Commands that passed {@link #check} concurrently may take the bucket into
   * debt, which is paid back before the next command is allowed. Any thread.
   *
   * @param account the account
   */
  void charge(int account) {
    limiter.charge(account, 1);
  }
}
