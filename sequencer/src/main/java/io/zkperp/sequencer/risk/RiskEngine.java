package io.zkperp.sequencer.risk;

import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.core.RiskHook;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cross-margin risk engine (first slice of [risk]): accounts with collateral and positions,
 * valuation at the oracle price, the pre-trade margin check on every order (worst case: fully
 * filled at its limit price), settlement of every fill with maker/taker fees to the fee balance,
 * maximum position size and open-interest caps, deposits and withdrawals. The formulas and rounding
 * are in {@code sequencer/README.md} ("Risk") and {@link RiskMath}. Its state (configuration,
 * oracle prices, open interest, fee balance, deposit totals, accounts and positions) is appended to
 * the core's canonical state, so it is in the state hash and in snapshots.
 *
 * <p>Thread rule: confined to the core thread, like the core it is plugged into; one engine per
 * core.
 */
public final class RiskEngine implements RiskHook {
  /**
   * The largest funding index change per tick, in ppm of the oracle price: a fixed 1%. Deriving the
   * bound from a maximum funding rate and the tick interval is not implemented yet.
   */
  public static final long MAX_FUNDING_TICK_PPM = 10_000;

  /** Largest account id + 1 the engine keeps (accounts are a dense array). */
  public static final int MAX_ACCOUNTS = 1 << 24;

  private static final int STATE_MAGIC = 0x5A4B5249; // "ZKRI"
  private static final int STATE_FORMAT = 1;

  private final RiskConfig config;
  private final MarketRisk[] params = new MarketRisk[0x10000];
  private final long[] oracle = new long[0x10000];
  private final long[] openInterest = new long[0x10000];
  private final long[] fundingIndex = new long[0x10000];
  private final long[] fundingTimestamp = new long[0x10000];
  private Account[] accounts = new Account[1024];
  private long feeBalance;
  private long totalDeposited;
  private long totalWithdrawn;
  private RejectReason reason = RejectReason.RISK_REJECTED;

  /**
   * Creates an engine with no accounts.
   *
   * @param config markets' risk parameters and fee tiers
   */
  public RiskEngine(RiskConfig config) {
    this.config = Objects.requireNonNull(config);
    config.markets().forEach((m, p) -> params[m] = p);
  }

  /**
   * The configuration.
   *
   * @return the configuration
   */
  public RiskConfig config() {
    return config;
  }

  // ---------------------------------------------------------------- hook

  @Override
  public RejectReason rejectReason() {
    return reason;
  }

  @Override
  public String oraclePrice(int market, long price) {
    if (price >= 1L << (63 - RiskMath.PRICE_FRACTION_BITS)) {
      return fail(
          RejectReason.INVALID_ORACLE_PRICE,
          "oracle price %,d is too large for the 32.32 fixed point; use < %,d",
          price,
          1L << (63 - RiskMath.PRICE_FRACTION_BITS));
    }
    oracle[market] = RiskMath.toFixed(price);
    return null;
  }

  @Override
  public String fundingTick(int market, long indexDelta, long timestamp) {
    if (params[market] == null || oracle[market] == 0) {
      return fail(
          RejectReason.INVALID_FUNDING_TICK,
          "market %d has %s; funding needs both",
          market,
          params[market] == null ? "no risk parameters" : "no oracle price yet");
    }
    if (timestamp <= fundingTimestamp[market]) {
      return fail(
          RejectReason.INVALID_FUNDING_TICK,
          "funding timestamp %d is not after the market's last one %d; use > %d",
          timestamp,
          fundingTimestamp[market],
          fundingTimestamp[market]);
    }
    long bound = RiskMath.mulPpmDown(oracle[market], MAX_FUNDING_TICK_PPM);
    if (indexDelta > bound || indexDelta < -bound) {
      return fail(
          RejectReason.INVALID_FUNDING_TICK,
          "funding index change %,d exceeds the bound %,d (%d ppm of the oracle price %,d, 32.32)",
          indexDelta,
          bound,
          MAX_FUNDING_TICK_PPM,
          oracle[market]);
    }
    long next;
    try {
      next = Math.addExact(fundingIndex[market], indexDelta);
    } catch (ArithmeticException e) {
      return fail(RejectReason.AMOUNT_OUT_OF_RANGE, "funding index of market %d overflows", market);
    }
    fundingIndex[market] = next;
    fundingTimestamp[market] = timestamp;
    return null;
  }

  private String accountOutOfRange(int account) {
    return fail(
        RejectReason.FIELD_OUT_OF_RANGE,
        "account %d is above the risk engine's range; accounts are 0 to %d",
        account,
        MAX_ACCOUNTS - 1);
  }

  @Override
  public String deposit(int account, long amount) {
    if (amount <= 0) {
      return fail(RejectReason.COLLATERAL_REJECTED, "deposit amount %,d must be > 0", amount);
    }
    if (account >= MAX_ACCOUNTS) {
      return accountOutOfRange(account);
    }
    Account a = account(account);
    long c = a == null ? 0 : a.collateral;
    try {
      long pending = a == null ? 0 : pendingFunding(a);
      Math.addExact(Math.addExact(c, pending), amount); // the result must fit: check first
      long total = Math.addExact(totalDeposited, amount);
      a = getOrCreate(account);
      settleFunding(a); // a deposit touches the account
      a.collateral += amount;
      totalDeposited = total;
      return null;
    } catch (ArithmeticException e) {
      return fail(
          RejectReason.AMOUNT_OUT_OF_RANGE,
          "deposit of %,d would take account %d's collateral %,d out of the 64-bit range",
          amount,
          account,
          c);
    }
  }

  @Override
  public String withdraw(int account, long amount) {
    if (amount <= 0) {
      return fail(RejectReason.COLLATERAL_REJECTED, "withdrawal amount %,d must be > 0", amount);
    }
    Account a = account(account);
    if (a == null) {
      return fail(
          RejectReason.INSUFFICIENT_FREE_COLLATERAL,
          "insufficient free collateral: withdrawal requires %,d, account %d has 0",
          amount,
          account);
    }
    long free;
    try {
      free = Math.subtractExact(equity(a), initialRequirement(a));
    } catch (ArithmeticException e) {
      return fail(RejectReason.AMOUNT_OUT_OF_RANGE, "account %d's equity is out of range", account);
    }
    if (amount > free) {
      return fail(
          RejectReason.INSUFFICIENT_FREE_COLLATERAL,
          "insufficient free collateral: withdrawal requires %,d, account %d has %,d",
          amount,
          account,
          Math.max(0, free));
    }
    settleFunding(a); // equity above already counted it
    a.collateral -= amount; // free ≤ equity ≤ collateral + Σ values: no overflow below
    totalWithdrawn += amount;
    return null;
  }

  @Override
  public String preCheck(int account, int market, Side side, long size, long price, long position) {
    MarketRisk p = params[market];
    if (p == null) {
      return fail(
          RejectReason.MARKET_NOT_RISK_ENABLED,
          "market %d has no risk parameters; risk-enabled markets: %s",
          market,
          config.markets().keySet().stream().sorted().toList());
    }
    if (oracle[market] == 0) {
      return fail(
          RejectReason.NO_ORACLE_PRICE,
          "market %d has no oracle price yet; orders are accepted after its first price",
          market);
    }
    if (account >= MAX_ACCOUNTS) {
      return accountOutOfRange(account);
    }
    try {
      return check(account, market, p, side == Side.BUY ? size : -size, price);
    } catch (ArithmeticException e) {
      return fail(
          RejectReason.AMOUNT_OUT_OF_RANGE,
          "order of size %,d at price %,d: %s",
          size,
          price,
          e.getMessage());
    }
  }

  private String check(int account, int market, MarketRisk p, long delta, long price) {
    Account a = account(account);
    long s0 = a == null ? 0 : a.size(market);
    long s1 = Math.addExact(s0, delta);
    long abs0 = Math.abs(s0);
    long abs1 = Math.absExact(s1);
    if (abs1 > abs0) {
      if (abs1 > p.maxPositionSize()) {
        return fail(
            RejectReason.POSITION_SIZE_LIMIT,
            "position would be %,d, above the maximum position size %,d; an order on this side"
                + " may be at most %,d",
            s1,
            p.maxPositionSize(),
            Math.max(
                0, p.maxPositionSize() + (Long.signum(delta) == Long.signum(s0) ? -abs0 : abs0)));
      }
      long oi = Math.addExact(openInterest[market], abs1 - abs0);
      if (oi > p.openInterestCap()) {
        return fail(
            RejectReason.OPEN_INTEREST_CAP,
            "open interest could reach %,d, above the cap %,d (now %,d); the order may increase"
                + " the position by at most %,d",
            oi,
            p.openInterestCap(),
            openInterest[market],
            Math.max(0, p.openInterestCap() - openInterest[market]));
      }
    }
    long cost = Math.multiplyExact(Math.abs(delta), price);
    FeeTier tier = a == null ? config.tierOf(account) : a.tier;
    long fee = Math.max(0, RiskMath.fee(cost, Math.max(tier.makerFeePpm(), tier.takerFeePpm())));
    long c0 = a == null ? 0 : a.collateral;
    int own = a == null ? -1 : a.find(market);
    if (own >= 0) {
      // the fill settles the position's pending funding first
      c0 =
          Math.addExact(
              c0, RiskMath.fundingCredit(s0, a.fundingSnapshots[own], fundingIndex[market]));
    }
    long c1 =
        Math.subtractExact(delta > 0 ? Math.subtractExact(c0, cost) : Math.addExact(c0, cost), fee);
    // other markets: value and initial requirement (the maintenance requirement only on the slow
    // path below)
    long valueOthers = 0;
    long imrOthers = 0;
    if (a != null) {
      for (int i = 0; i < a.count; i++) {
        int m = a.markets[i];
        if (m == market) {
          continue;
        }
        long s = a.sizes[i];
        long px = oracle[m];
        valueOthers = Math.addExact(valueOthers, RiskMath.value(s, px));
        long snapshot = a.fundingSnapshots[i];
        if (snapshot != fundingIndex[m]) {
          valueOthers =
              Math.addExact(valueOthers, RiskMath.fundingCredit(s, snapshot, fundingIndex[m]));
        }
        imrOthers = Math.addExact(imrOthers, RiskMath.initialRequirement(s, px, params[m]));
      }
    }
    long px = oracle[market];
    long equity1 = Math.addExact(Math.addExact(c1, valueOthers), RiskMath.value(s1, px));
    long imr1 = Math.addExact(imrOthers, RiskMath.initialRequirement(s1, px, p));
    if (equity1 >= imr1) {
      return null;
    }
    long equity0 = Math.addExact(Math.addExact(c0, valueOthers), RiskMath.value(s0, px));
    long imr0 = Math.addExact(imrOthers, RiskMath.initialRequirement(s0, px, p));
    long mmrOthers = 0;
    for (int i = 0; a != null && i < a.count; i++) {
      int m = a.markets[i];
      if (m != market) {
        mmrOthers =
            Math.addExact(
                mmrOthers, RiskMath.maintenanceRequirement(a.sizes[i], oracle[m], params[m]));
      }
    }
    long mmr0 = Math.addExact(mmrOthers, RiskMath.maintenanceRequirement(s0, px, p));
    long mmr1 = Math.addExact(mmrOthers, RiskMath.maintenanceRequirement(s1, px, p));
    boolean reduces = abs1 < abs0 && (s1 == 0 || Long.signum(s1) == Long.signum(s0));
    if (reduces) {
      // StarkEx / dYdX v4: an order that leaves the account below margin is still allowed if it
      // shrinks the position without flipping it and does not lower equity / maintenance
      // requirement (equity1 / mmr1 ≥ equity0 / mmr0, cross-multiplied; with mmr1 = 0: equity1 ≥
      // 0).
      boolean ok =
          mmr1 == 0 ? equity1 >= 0 : RiskMath.compareProducts(equity1, mmr0, equity0, mmr1) >= 0;
      if (ok) {
        return null;
      }
    }
    if (equity0 >= imr0) {
      return fail(
          RejectReason.INSUFFICIENT_MARGIN,
          "insufficient margin: requires %,d free collateral, account has %,d (%s %,d at %,d"
              + " fully filled: equity %,d → %,d, initial margin %,d → %,d)",
          Math.addExact(Math.subtractExact(imr1, imr0), Math.subtractExact(equity0, equity1)),
          equity0 - imr0,
          delta > 0 ? "buy" : "sell",
          Math.abs(delta),
          price,
          equity0,
          equity1,
          imr0,
          imr1);
    }
    return fail(
        RejectReason.ACCOUNT_UNDERCOLLATERALISED,
        "account %d is below its initial margin (equity %,d, initial margin %,d, maintenance"
            + " margin %,d): only orders that reduce a position without lowering equity /"
            + " maintenance margin are accepted; this one gives equity %,d, maintenance margin %,d"
            + "%s",
        account,
        equity0,
        imr0,
        mmr0,
        equity1,
        mmr1,
        reduces ? "" : " and does not reduce the position");
  }

  @Override
  public void settle(Order maker, Order taker, long price, long size) {
    int market = taker.market;
    long delta = taker.isBuy() ? size : -size;
    long cost = Math.multiplyExact(size, price);
    Account t = getOrCreate(taker.account);
    Account m = getOrCreate(maker.account);
    settleFunding(t);
    settleFunding(m);
    long takerFee = RiskMath.fee(cost, t.tier.takerFeePpm());
    long makerFee = RiskMath.fee(cost, m.tier.makerFeePpm());
    long signedCost = delta > 0 ? cost : -cost;
    long fi = fundingIndex[market];
    long t0 = t.size(market);
    long t1 = Math.addExact(t0, delta);
    t.setSize(market, t1, fi);
    long m0 = m.size(market);
    long m1 = Math.subtractExact(m0, delta);
    m.setSize(market, m1, fi);
    t.collateral = Math.subtractExact(Math.subtractExact(t.collateral, signedCost), takerFee);
    m.collateral = Math.subtractExact(Math.addExact(m.collateral, signedCost), makerFee);
    feeBalance = Math.addExact(feeBalance, takerFee + makerFee);
    openInterest[market] += Math.max(0, t1) - Math.max(0, t0) + Math.max(0, m1) - Math.max(0, m0);
  }

  // ---------------------------------------------------------------- queries

  /**
   * An account's collateral.
   *
   * @param account the account
   * @return collateral quanta (0 for an unknown account)
   */
  public long collateral(int account) {
    Account a = account(account);
    return a == null ? 0 : a.collateral;
  }

  /**
   * An account's signed position.
   *
   * @param account the account
   * @param market the market
   * @return synthetic quanta
   */
  public long position(int account, int market) {
    Account a = account(account);
    return a == null ? 0 : a.size(market);
  }

  /**
   * The funding index snapshot of a position (the market's index when funding was last settled on
   * it).
   *
   * @param account the account
   * @param market the market
   * @return the snapshot, 0 if there is no position
   */
  public long fundingSnapshot(int account, int market) {
    Account a = account(account);
    int i = a == null ? -1 : a.find(market);
    return i < 0 ? 0 : a.fundingSnapshots[i];
  }

  /**
   * Funding credited to the account when it is next touched (Σ over its positions of {@link
   * RiskMath#fundingCredit}; negative = owed).
   *
   * @param account the account
   * @return collateral quanta
   */
  public long pendingFunding(int account) {
    Account a = account(account);
    return a == null ? 0 : pendingFunding(a);
  }

  /**
   * Σ over all accounts of {@link #pendingFunding(int)}.
   *
   * @return collateral quanta
   */
  public long totalPendingFunding() {
    long sum = 0;
    for (Account a : accounts) {
      if (a != null) {
        sum = Math.addExact(sum, pendingFunding(a));
      }
    }
    return sum;
  }

  /**
   * A market's funding index.
   *
   * @param market the market
   * @return 32.32 fixed point
   */
  public long fundingIndex(int market) {
    return fundingIndex[market];
  }

  /**
   * Equity: collateral + pending funding + Σ floor(size · oracle / 2^32).
   *
   * @param account the account
   * @return collateral quanta
   */
  public long equity(int account) {
    Account a = account(account);
    return a == null ? 0 : equity(a);
  }

  /**
   * Σ initial margin requirements at the oracle prices.
   *
   * @param account the account
   * @return collateral quanta
   */
  public long initialRequirement(int account) {
    Account a = account(account);
    return a == null ? 0 : initialRequirement(a);
  }

  /**
   * Σ maintenance margin requirements at the oracle prices.
   *
   * @param account the account
   * @return collateral quanta
   */
  public long maintenanceRequirement(int account) {
    Account a = account(account);
    long r = 0;
    for (int i = 0; a != null && i < a.count; i++) {
      int m = a.markets[i];
      r = Math.addExact(r, RiskMath.maintenanceRequirement(a.sizes[i], oracle[m], params[m]));
    }
    return r;
  }

  /**
   * Free collateral: equity − Σ initial margin requirements.
   *
   * @param account the account
   * @return collateral quanta (may be negative)
   */
  public long freeCollateral(int account) {
    return equity(account) - initialRequirement(account);
  }

  /**
   * The fee balance (the state layout's global feeBalance).
   *
   * @return collateral quanta
   */
  public long feeBalance() {
    return feeBalance;
  }

  /**
   * Σ accepted deposits.
   *
   * @return collateral quanta
   */
  public long totalDeposited() {
    return totalDeposited;
  }

  /**
   * Σ accepted withdrawals.
   *
   * @return collateral quanta
   */
  public long totalWithdrawn() {
    return totalWithdrawn;
  }

  /**
   * Σ collateral of all accounts.
   *
   * @return collateral quanta
   */
  public long totalCollateral() {
    long sum = 0;
    for (Account a : accounts) {
      if (a != null) {
        sum = Math.addExact(sum, a.collateral);
      }
    }
    return sum;
  }

  /**
   * A market's open interest (Σ long sizes).
   *
   * @param market the market
   * @return synthetic quanta
   */
  public long openInterest(int market) {
    return openInterest[market];
  }

  /**
   * Σ of all positions in a market (0 whenever consistent).
   *
   * @param market the market
   * @return the sum
   */
  public long positionSum(int market) {
    long sum = 0;
    for (Account a : accounts) {
      if (a != null) {
        sum += a.size(market);
      }
    }
    return sum;
  }

  /**
   * The oracle price in use.
   *
   * @param market the market
   * @return the 32.32 fixed-point price, 0 if none yet
   */
  public long oracleFixed(int market) {
    return oracle[market];
  }

  // ---------------------------------------------------------------- state

  @Override
  public void writeState(DataOutput out) throws IOException {
    out.writeInt(STATE_MAGIC);
    out.writeInt(STATE_FORMAT);
    writeConfig(config, out);
    int priced = 0;
    for (long o : oracle) {
      if (o != 0) {
        priced++;
      }
    }
    out.writeInt(priced);
    for (int m = 0; m < oracle.length; m++) {
      if (oracle[m] != 0) {
        out.writeInt(m);
        out.writeLong(oracle[m]);
        out.writeLong(openInterest[m]);
        out.writeLong(fundingIndex[m]);
        out.writeLong(fundingTimestamp[m]);
      }
    }
    out.writeLong(feeBalance);
    out.writeLong(totalDeposited);
    out.writeLong(totalWithdrawn);
    int n = 0;
    for (Account a : accounts) {
      if (a != null && !a.isEmpty()) {
        n++;
      }
    }
    out.writeInt(n);
    for (Account a : accounts) {
      if (a == null || a.isEmpty()) {
        continue;
      }
      out.writeInt(a.id);
      out.writeLong(a.collateral);
      int[] order = new int[a.count];
      for (int i = 0; i < a.count; i++) {
        order[i] = (a.markets[i] << 15) | i; // market < 2^16, index < 2^15: sorted by market
      }
      Arrays.sort(order);
      out.writeInt(a.count);
      for (int k : order) {
        int i = k & 0x7FFF;
        out.writeInt(a.markets[i]);
        out.writeLong(a.sizes[i]);
        out.writeLong(a.fundingSnapshots[i]);
      }
    }
  }

  private static void writeConfig(RiskConfig c, DataOutput out) throws IOException {
    Map<Integer, MarketRisk> markets = new TreeMap<>(c.markets());
    out.writeInt(markets.size());
    for (Map.Entry<Integer, MarketRisk> e : markets.entrySet()) {
      MarketRisk p = e.getValue();
      out.writeInt(e.getKey());
      out.writeLong(p.initialMarginPpm());
      out.writeLong(p.maintenanceMarginPpm());
      out.writeLong(p.baselinePositionSize());
      out.writeLong(p.incrementalPositionSize());
      out.writeLong(p.incrementalInitialMarginPpm());
      out.writeLong(p.maxPositionSize());
      out.writeLong(p.openInterestCap());
    }
    List<FeeTier> tiers = c.tiers();
    out.writeInt(tiers.size());
    for (FeeTier t : tiers) {
      out.writeLong(t.makerFeePpm());
      out.writeLong(t.takerFeePpm());
    }
    Map<Integer, Integer> at = new TreeMap<>(c.accountTiers());
    out.writeInt(at.size());
    for (Map.Entry<Integer, Integer> e : at.entrySet()) {
      out.writeInt(e.getKey());
      out.writeInt(e.getValue());
    }
  }

  @Override
  public void readState(DataInput in) throws IOException {
    if (in.readInt() != STATE_MAGIC) {
      throw new IOException("no risk engine state in this core state (written without risk?)");
    }
    int format = in.readInt();
    if (format != STATE_FORMAT) {
      throw new IOException("unknown risk state format " + format + ", expected " + STATE_FORMAT);
    }
    RiskConfig stored = readConfig(in);
    if (!stored.equals(config)) {
      throw new IOException(
          "the state was written with other risk parameters: " + stored + " vs " + config);
    }
    Arrays.fill(oracle, 0);
    Arrays.fill(openInterest, 0);
    Arrays.fill(fundingIndex, 0);
    Arrays.fill(fundingTimestamp, 0);
    accounts = new Account[1024];
    int priced = in.readInt();
    for (int i = 0; i < priced; i++) {
      int m = in.readInt();
      oracle[m] = in.readLong();
      openInterest[m] = in.readLong();
      fundingIndex[m] = in.readLong();
      fundingTimestamp[m] = in.readLong();
    }
    feeBalance = in.readLong();
    totalDeposited = in.readLong();
    totalWithdrawn = in.readLong();
    int n = in.readInt();
    for (int k = 0; k < n; k++) {
      Account a = getOrCreate(in.readInt());
      a.collateral = in.readLong();
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        int m = in.readInt();
        long size = in.readLong();
        a.setSize(m, size, in.readLong());
      }
    }
  }

  private static RiskConfig readConfig(DataInput in) throws IOException {
    Map<Integer, MarketRisk> markets = new TreeMap<>();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      markets.put(
          in.readInt(),
          new MarketRisk(
              in.readLong(),
              in.readLong(),
              in.readLong(),
              in.readLong(),
              in.readLong(),
              in.readLong(),
              in.readLong()));
    }
    int t = in.readInt();
    FeeTier[] tiers = new FeeTier[t];
    for (int i = 0; i < t; i++) {
      tiers[i] = new FeeTier(in.readLong(), in.readLong());
    }
    Map<Integer, Integer> at = new TreeMap<>();
    int a = in.readInt();
    for (int i = 0; i < a; i++) {
      at.put(in.readInt(), in.readInt());
    }
    return new RiskConfig(markets, List.of(tiers), at);
  }

  // ---------------------------------------------------------------- internals

  private long equity(Account a) {
    long e = Math.addExact(a.collateral, pendingFunding(a));
    for (int i = 0; i < a.count; i++) {
      e = Math.addExact(e, RiskMath.value(a.sizes[i], oracle[a.markets[i]]));
    }
    return e;
  }

  /** Σ funding credits not yet settled into the account's collateral. */
  private long pendingFunding(Account a) {
    long f = 0;
    for (int i = 0; i < a.count; i++) {
      f =
          Math.addExact(
              f,
              RiskMath.fundingCredit(
                  a.sizes[i], a.fundingSnapshots[i], fundingIndex[a.markets[i]]));
    }
    return f;
  }

  /** Settles funding on touch: credits the pending funding, moves the snapshots to the index. */
  private void settleFunding(Account a) {
    for (int i = 0; i < a.count; i++) {
      long index = fundingIndex[a.markets[i]];
      if (a.fundingSnapshots[i] != index) {
        a.collateral =
            Math.addExact(
                a.collateral, RiskMath.fundingCredit(a.sizes[i], a.fundingSnapshots[i], index));
        a.fundingSnapshots[i] = index;
      }
    }
  }

  private long initialRequirement(Account a) {
    long r = 0;
    for (int i = 0; i < a.count; i++) {
      int m = a.markets[i];
      r = Math.addExact(r, RiskMath.initialRequirement(a.sizes[i], oracle[m], params[m]));
    }
    return r;
  }

  private Account account(int id) {
    return id >= 0 && id < accounts.length ? accounts[id] : null;
  }

  private Account getOrCreate(int id) {
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

  private String fail(RejectReason r, String format, Object... args) {
    reason = r;
    return String.format(Locale.ROOT, format, args);
  }
}
