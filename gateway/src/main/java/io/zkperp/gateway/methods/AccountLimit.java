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
   * Spends one command of the account's budget.
   *
   * @param account the account
   * @throws RpcException RATE_LIMITED when the budget is spent
   */
  void charge(int account) {
    if (!limiter.tryAcquire(account, 1)) {
      throw new RpcException(
          RpcError.RATE_LIMITED,
          "account "
              + account
              + " is over its limit of "
              + limiter.describe()
              + " commands; retry later");
    }
  }
}
