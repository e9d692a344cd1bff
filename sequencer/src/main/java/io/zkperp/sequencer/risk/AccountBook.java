package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.v2.LayoutV2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The accounts and their valuation at the oracle prices: every trader account (a dense array by
 * id), the insurance fund, and the venue's own balances (fee balance, Σ deposits, Σ withdrawals).
 * Equity = collateral + pending funding + Σ floor(size · oracle / 2^32); the initial and
 * maintenance requirements are Σ over the positions ({@link RiskMath}). Funding is settled into
 * collateral when an account is touched ({@link #settleFunding}). Core thread.
 */
final class AccountBook {
  /**
   * Largest trader account id + 1 (accounts are a dense array): 2^24 − 1. The id 2^24 − 1 is the
   * insurance fund, the last leaf of layout v2's accounts tree ({@code LayoutV2}).
   */
  static final int MAX_ACCOUNTS = (int) LayoutV2.INSURANCE_FUND_ACCOUNT;

  /** The insurance fund's account id: 2^24 − 1 ({@code LayoutV2.INSURANCE_FUND_ACCOUNT}). */
  static final int FUND_ID = (int) LayoutV2.INSURANCE_FUND_ACCOUNT;

  /** Most open positions of one account: 8 ({@code LayoutV2.MAX_POSITIONS}). */
  static final int MAX_POSITIONS = LayoutV2.MAX_POSITIONS;

  private final RiskConfig config;
  private final RiskMarkets markets;
  private final Account fund;
  private Account[] accounts = new Account[1024];
  long feeBalance;
  long totalDeposited;
  long totalWithdrawn;

  AccountBook(RiskConfig config, RiskMarkets markets) {
    this.config = config;
    this.markets = markets;
    this.fund = new Account(FUND_ID, config.tiers().get(0));
  }

  /** The insurance fund (id {@link #FUND_ID}, above the traders' range). */
  Account fund() {
    return fund;
  }

  /** The account, or null if it never held anything. */
  Account account(int id) {
    return id >= 0 && id < accounts.length ? accounts[id] : null;
  }

  /** The account, created (with its configured fee tier) if new. */
  Account getOrCreate(int id) {
    if (id >= accounts.length) {
      accounts =
          Arrays.copyOf(accounts, Math.min(MAX_ACCOUNTS, Math.max(id + 1, accounts.length * 2)));
    }
    Account a = accounts[id];
    if (a == null) {
      a = new Account(id, config.tierOf(id));
      accounts[id] = a;
    }
    return a;
  }

  /** The trader accounts (not the fund) holding collateral or a position, ascending id. */
  List<Account> nonEmptyAccounts() {
    List<Account> out = new ArrayList<>();
    for (Account a : accounts) {
      if (a != null && !a.isEmpty()) {
        out.add(a);
      }
    }
    return out;
  }

  /** Forgets every account, the fund's positions and the venue's balances. */
  void reset() {
    accounts = new Account[1024];
    while (fund.count > 0) {
      fund.setSize(fund.markets[0], 0, 0);
    }
    fund.collateral = 0;
    feeBalance = 0;
    totalDeposited = 0;
    totalWithdrawn = 0;
  }

  // ---------------------------------------------------------------- valuation

  /** Collateral + pending funding + Σ value of the positions. */
  long equity(Account a) {
    long e = Math.addExact(a.collateral, pendingFunding(a));
    for (int i = 0; i < a.count; i++) {
      e = Math.addExact(e, RiskMath.value(a.sizes[i], markets.oracle(a.markets[i])));
    }
    return e;
  }

  /** Σ funding credits not yet settled into the account's collateral. */
  long pendingFunding(Account a) {
    long f = 0;
    for (int i = 0; i < a.count; i++) {
      f =
          Math.addExact(
              f,
              RiskMath.fundingCredit(
                  a.sizes[i], a.fundingSnapshots[i], markets.fundingIndex(a.markets[i])));
    }
    return f;
  }

  /**
   * Settles funding on touch: credits the pending funding, moves the snapshots to the index.
   * Returns the amount credited (negative = paid).
   */
  long settleFunding(Account a) {
    long total = 0;
    for (int i = 0; i < a.count; i++) {
      long index = markets.fundingIndex(a.markets[i]);
      if (a.fundingSnapshots[i] != index) {
        long credit = RiskMath.fundingCredit(a.sizes[i], a.fundingSnapshots[i], index);
        a.collateral = Math.addExact(a.collateral, credit);
        total += credit;
        a.fundingSnapshots[i] = index;
      }
    }
    return total;
  }

  /** Σ maintenance margin requirements at the oracle prices. */
  long maintenanceRequirement(Account a) {
    return requirement(a, false);
  }

  /** Σ initial margin requirements at the oracle prices. */
  long initialRequirement(Account a) {
    return requirement(a, true);
  }

  private long requirement(Account a, boolean initial) {
    long r = 0;
    for (int i = 0; i < a.count; i++) {
      MarketRiskState m = markets.get(a.markets[i]);
      long s = a.sizes[i];
      r =
          Math.addExact(
              r,
              initial
                  ? RiskMath.initialRequirement(s, m.oracle, m.params)
                  : RiskMath.maintenanceRequirement(s, m.oracle, m.params));
    }
    return r;
  }

  /** Equity − Σ initial requirements (may be negative). */
  long freeCollateral(Account a) {
    return Math.subtractExact(equity(a), initialRequirement(a));
  }

  /** Whether the account has a position and equity &lt; Σ maintenance requirements. */
  boolean liquidatable(Account a) {
    return a != null && a.count > 0 && equity(a) < maintenanceRequirement(a);
  }

  // ---------------------------------------------------------------- totals

  /** Σ pending funding over all accounts and the fund. */
  long totalPendingFunding() {
    long sum = pendingFunding(fund);
    for (Account a : accounts) {
      if (a != null) {
        sum = Math.addExact(sum, pendingFunding(a));
      }
    }
    return sum;
  }

  /** Σ collateral of the trader accounts. */
  long totalCollateral() {
    long sum = 0;
    for (Account a : accounts) {
      if (a != null) {
        sum = Math.addExact(sum, a.collateral);
      }
    }
    return sum;
  }

  /** Σ of all positions in a market, the fund's included. */
  long positionSum(int market) {
    long sum = fund.size(market);
    for (Account a : accounts) {
      if (a != null) {
        sum += a.size(market);
      }
    }
    return sum;
  }
}
