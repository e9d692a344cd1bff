package io.zkperp.sequencer.risk;

import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBook;
import io.zkperp.sequencer.core.LiquidationActions;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.funding.BookDepthView;
import io.zkperp.sequencer.risk.funding.DepthLevels;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.funding.FundingError;
import io.zkperp.sequencer.risk.funding.FundingTickCalculator;
import io.zkperp.sequencer.risk.funding.FundingTickProposal;
import io.zkperp.sequencer.risk.funding.PremiumSampler;
import io.zkperp.sequencer.risk.funding.TickResult;
import io.zkperp.sequencer.risk.oracle.OracleAggregator;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.sequencer.risk.oracle.OracleRejection;
import io.zkperp.sequencer.risk.oracle.OracleResult;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The cross-margin risk engine of [risk]: accounts with collateral and positions, valuation at the
 * oracle price, the pre-trade margin check on every order (worst case: fully filled at its limit
 * price), settlement of every fill with maker/taker fees to the fee balance, maximum position size
 * and open-interest caps, the post-trade check on maker fills, deposits, withdrawals and transfers,
 * isolated markets (isolated margin through subaccounts), state-change records, and liquidation:
 * partial liquidation by IOC orders against the book, insurance-fund takeover and
 * auto-deleveraging, found through a per-market liquidation-price index; optionally a quorum-signed
 * oracle ({@link OracleConfig}) and funding derived from premium samples ({@link FundingConfig}),
 * and the signed fee cap checked against the account's fee tier. The formulas and rounding are in
 * {@code sequencer/README.md} ("Risk") and {@link RiskMath}. Its state (configuration, oracle
 * prices, open interest, fee balance, deposit totals, the insurance fund, accounts and positions)
 * is appended to the core's canonical state, so it is in the state hash and in snapshots.
 *
 * <p>Thread rule: confined to the core thread, like the core it is plugged into; one engine per
 * core.
 */
public final class RiskEngine implements RiskHook {
  /**
   * The largest change of an operator {@code FundingTick}, in ppm of the oracle price: a fixed 1%.
   * Applies only to markets without a {@link FundingConfig} entry (tests and devnet); the derived
   * ticks of a configured market are bounded by {@link FundingTickCalculator#checkTick} with its
   * maximum rate and the tick's Δt.
   */
  public static final long MAX_FUNDING_TICK_PPM = 10_000;

  /** Largest account id + 1 the engine keeps (accounts are a dense array). */
  public static final int MAX_ACCOUNTS = 1 << 24;

  /**
   * The insurance fund's account id in the core's positions ({@link #MAX_ACCOUNTS}: no trader can
   * use it, the engine rejects orders and deposits for ids at or above it).
   */
  public static final int INSURANCE_FUND = MAX_ACCOUNTS;

  private static final long MAX_PRICE = (1L << 31) - 1;
  private static final int STATE_MAGIC = 0x5A4B5249; // "ZKRI"
  private static final int STATE_FORMAT = 3;

  private final RiskConfig config;
  private final LiquidationConfig liquidation;
  private final OracleConfig oracleConfig;
  private final FundingConfig fundingConfig;
  private final OracleAggregator aggregator;
  private final PremiumSampler sampler;
  private final int[] fundingMarkets;
  private final byte[] oracleFundingConfigBytes;
  private final Account fund;
  private final BitSet[] holders = new BitSet[0x10000];
  // liquidation-price index (not state: rebuilt from the accounts); see README "Liquidation"
  private final boolean indexed;
  private final BitSet[] multi = new BitSet[0x10000];

  private final ThresholdSets[] thresholds = new ThresholdSets[0x10000];
  private final BitSet dirty = new BitSet();
  private int fundingTicked = -1;
  private LiquidationActions actions;
  private long stepLimit;
  private long stepBankruptcy;
  private final MarketRisk[] params = new MarketRisk[0x10000];
  private final boolean[] isolated = new boolean[0x10000];
  private final long[] oracle = new long[0x10000];
  private final long[] oracleTimestamp = new long[0x10000];
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
    this(config, LiquidationConfig.DEFAULT);
  }

  /**
   * Creates an engine with no accounts and the given liquidation parameters.
   *
   * @param config markets' risk parameters and fee tiers
   * @param liquidation liquidation parameters
   */
  public RiskEngine(RiskConfig config, LiquidationConfig liquidation) {
    this(config, liquidation, null, null, true);
  }

  /**
   * Creates an engine with a quorum-signed oracle and funding derived from premium samples. A
   * market in {@code oracle} takes its prices only from {@code SignedOraclePrices} (an unsigned
   * {@code OraclePrice} is refused {@link RejectReason#UNSIGNED_ORACLE_PRICE_REFUSED}); a market in
   * {@code funding} gets its funding ticks only from premium samples on {@code Tick} (an operator
   * {@code FundingTick} is refused {@link RejectReason#OPERATOR_FUNDING_TICK_REFUSED}). Both
   * configurations are part of the engine's configuration: a snapshot loads only into an engine
   * with equal ones. Call from the thread that builds the core.
   *
   * @param config markets' risk parameters and fee tiers
   * @param liquidation liquidation parameters
   * @param oracle the oracle signers and bounds per market, or null for none (unsigned prices only)
   * @param funding the premium-sampling funding per market, or null for none (operator ticks only);
   *     each market's {@code MarketFunding.risk} must equal its {@code RiskConfig} parameters
   * @throws IllegalArgumentException if a funding market has no or other risk parameters
   */
  public RiskEngine(
      RiskConfig config,
      LiquidationConfig liquidation,
      OracleConfig oracle,
      FundingConfig funding) {
    this(config, liquidation, oracle, funding, true);
  }

  /**
   * Creates an engine; {@code indexed = false} examines every holder of a market on each of its
   * price ticks instead of using the liquidation-price index (same results; tests compare both).
   */
  RiskEngine(RiskConfig config, LiquidationConfig liquidation, boolean indexed) {
    this(config, liquidation, null, null, indexed);
  }

  /** The full constructor (see the public ones). */
  RiskEngine(
      RiskConfig config,
      LiquidationConfig liquidation,
      OracleConfig oracle,
      FundingConfig funding,
      boolean indexed) {
    this.indexed = indexed;
    this.config = Objects.requireNonNull(config);
    this.liquidation = Objects.requireNonNull(liquidation);
    this.oracleConfig = oracle;
    this.fundingConfig = funding;
    this.aggregator = oracle == null ? null : new OracleAggregator(oracle);
    this.sampler = funding == null ? null : new PremiumSampler(funding);
    this.fundingMarkets =
        funding == null
            ? new int[0]
            : funding.markets().keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    for (int m : fundingMarkets) {
      MarketRisk p = config.markets().get(m);
      if (!funding.market(m).risk().equals(p)) {
        throw new IllegalArgumentException(
            "funding market "
                + m
                + " must use the market's RiskConfig parameters "
                + p
                + ", has "
                + funding.market(m).risk());
      }
    }
    this.oracleFundingConfigBytes = oracleFundingConfigBytes(oracle, funding);
    this.fund = new Account(INSURANCE_FUND, config.tiers().get(0));
    config.markets().forEach((m, p) -> params[m] = p);
    config.isolatedMarkets().forEach(m -> isolated[m] = true);
  }

  /**
   * The configuration.
   *
   * @return the configuration
   */
  public RiskConfig config() {
    return config;
  }

  /**
   * The liquidation parameters.
   *
   * @return the parameters
   */
  public LiquidationConfig liquidationConfig() {
    return liquidation;
  }

  /**
   * The oracle configuration. Any thread (immutable).
   *
   * @return it, or null if prices are unsigned operator commands
   */
  public OracleConfig oracleConfig() {
    return oracleConfig;
  }

  /**
   * The funding configuration. Any thread (immutable).
   *
   * @return it, or null if funding ticks are operator commands
   */
  public FundingConfig fundingConfig() {
    return fundingConfig;
  }

  /**
   * The premium sampler (read its period state in tests and tools). Core thread.
   *
   * @return it, or null without a funding configuration
   */
  public PremiumSampler sampler() {
    return sampler;
  }

  /**
   * The timestamp of the market's current oracle price. Core thread.
   *
   * @param market the market
   * @return seconds; 0 if it has no price
   */
  public long oracleTimestamp(int market) {
    return oracleTimestamp[market];
  }

  /**
   * The timestamp of the market's last funding tick (or, for a market with a funding configuration
   * that has not ticked yet, the start of its first sampling period). Core thread.
   *
   * @param market the market
   * @return seconds; 0 if none
   */
  public long fundingTimestamp(int market) {
    return fundingTimestamp[market];
  }

  // ---------------------------------------------------------------- hook

  @Override
  public RejectReason rejectReason() {
    return reason;
  }

  @Override
  public void attach(LiquidationActions core) {
    actions = core;
  }

  @Override
  public String oraclePrice(int market, long price, long timestamp) {
    String message = oraclePrice(market, price);
    if (message == null) {
      oracleTimestamp[market] = timestamp;
      emit(new SequencerEvent.PriceTickApplied(market, oracle[market], timestamp));
    }
    return message;
  }

  @Override
  public String oraclePrice(int market, long price) {
    if (oracleConfig != null && oracleConfig.market(market) != null) {
      return fail(
          RejectReason.UNSIGNED_ORACLE_PRICE_REFUSED,
          "market %d takes its prices from a quorum of %d oracle signers; submit"
              + " SignedOraclePrices instead of an unsigned OraclePrice",
          market,
          oracleConfig.market(market).quorum());
    }
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
  public long oraclePriceFixed(int market) {
    return oracle[market];
  }

  @Override
  public OracleAggregator oracleAggregator() {
    return aggregator;
  }

  /**
   * Applies the market's oracle configuration to a batch whose signatures the intake verified
   * ({@link OracleAggregator#aggregatePreverified}), with the market's current price and its
   * timestamp as the previous price. On acceptance the median (32.32, stored as is, no shift)
   * becomes the market's oracle price with the batch's oldest report timestamp, and a {@link
   * SequencerEvent.PriceTickApplied} record is emitted; a rejection changes nothing. Core thread.
   */
  @Override
  public OracleResult signedOraclePrices(int market, List<PriceReport> reports, long now) {
    if (aggregator == null) {
      return new OracleResult.Rejected(
          OracleRejection.MARKET_NOT_CONFIGURED,
          "market " + market + " has no oracle configuration; this risk engine has none");
    }
    OracleResult.Accepted previous =
        oracle[market] == 0
            ? null
            : new OracleResult.Accepted(market, oracle[market], oracleTimestamp[market], 1);
    OracleResult r = aggregator.aggregatePreverified(market, reports, now, previous);
    if (r instanceof OracleResult.Accepted a) {
      oracle[market] = a.price();
      oracleTimestamp[market] = a.timestamp();
      emit(new SequencerEvent.PriceTickApplied(market, a.price(), a.timestamp()));
    }
    return r;
  }

  /**
   * Takes the funding premium samples and applies the due funding ticks, for every market of the
   * funding configuration that has risk parameters, an oracle price and a book, in ascending market
   * order: {@link PremiumSampler#tick} first (if due: the index delta through {@link
   * #applyDerivedTick}, a {@link SequencerEvent.FundingTickDerived} record, then liquidation of the
   * market as after a funding tick), then {@link PremiumSampler#sample} from {@link
   * DepthLevels#of(OrderBook)}. A market's first sample starts its first period and seeds its
   * funding timestamp, so that the engine's Δt and the sampler's are the same number. A sampling
   * error (an invalid book) skips the sample: it counts as a missing one (premium 0). Core thread.
   */
  @Override
  public void onTick(long now, IntFunction<OrderBook> books) {
    for (int m : fundingMarkets) {
      OrderBook book = books.apply(m);
      if (params[m] == null || oracle[m] == 0 || book == null) {
        continue;
      }
      if (sampler.tick(m, oracle[m], now) instanceof TickResult.Due due) {
        FundingTickProposal t = due.tick();
        if (applyDerivedTick(m, t.indexDelta(), now) == null) {
          emit(
              new SequencerEvent.FundingTickDerived(
                  m,
                  now,
                  t.intervalSeconds(),
                  t.samples(),
                  t.divisor(),
                  t.averagePremiumPpm(),
                  t.ratePpm(),
                  t.price(),
                  t.indexDelta()));
          if (actions != null) {
            liquidate(m, actions);
          }
        }
      }
      boolean started = sampler.periodStart(m) != Long.MIN_VALUE;
      sampler.sample(m, new LazyDepth(book), oracle[m], now);
      if (!started && sampler.periodStart(m) != Long.MIN_VALUE) {
        fundingTimestamp[m] = sampler.periodStart(m);
        emit(new SequencerEvent.FundingPeriodStarted(m, fundingTimestamp[m]));
      }
    }
  }

  /**
   * {@link DepthLevels#of(OrderBook)}, copied only when the sampler reads it: a {@code Tick} inside
   * a slot that already has its sample costs no copy of the book.
   */
  private static final class LazyDepth implements BookDepthView {
    private final OrderBook book;
    private DepthLevels levels;

    LazyDepth(OrderBook book) {
      this.book = book;
    }

    @Override
    public void forEachLevel(boolean bids, LevelVisitor visitor) {
      if (levels == null) {
        levels = DepthLevels.of(book);
      }
      levels.forEachLevel(bids, visitor);
    }
  }

  /**
   * Applies a funding tick derived from premium samples, bounded by {@link
   * FundingTickCalculator#checkTick}{@code (indexDelta, oracle, timestamp − fundingTimestamp,
   * maxRatePpm)}: {@code |Δindex| · 10^6 · 28,800 ≤ maxRate · Δt · price}. Core thread.
   *
   * @param market a market of the funding configuration
   * @param indexDelta the index change, 32.32
   * @param timestamp the tick's time
   * @return null if applied; otherwise the rejection message ({@link
   *     RejectReason#INVALID_FUNDING_TICK}, nothing changed)
   */
  String applyDerivedTick(int market, long indexDelta, long timestamp) {
    FundingConfig.MarketFunding f = fundingConfig == null ? null : fundingConfig.market(market);
    if (f == null || params[market] == null || oracle[market] == 0) {
      return fail(
          RejectReason.INVALID_FUNDING_TICK,
          "market %d has no funding configuration, risk parameters or oracle price",
          market);
    }
    if (timestamp <= fundingTimestamp[market]) {
      return fail(
          RejectReason.INVALID_FUNDING_TICK,
          "funding timestamp %d is not after the market's last one %d; use > %d",
          timestamp,
          fundingTimestamp[market],
          fundingTimestamp[market]);
    }
    long dt = timestamp - fundingTimestamp[market];
    FundingError e =
        FundingTickCalculator.checkTick(indexDelta, oracle[market], dt, f.maxRatePpm());
    if (e != null) {
      return fail(RejectReason.INVALID_FUNDING_TICK, "%s: %s", e.reason(), e.message());
    }
    return applyFunding(market, indexDelta, timestamp);
  }

  /**
   * The operator's {@code FundingTick}: refused for a market of the funding configuration (its
   * ticks are derived on {@code Tick}); otherwise bounded by the fixed {@link
   * #MAX_FUNDING_TICK_PPM} of the oracle price (tests and devnet).
   */
  @Override
  public String fundingTick(int market, long indexDelta, long timestamp) {
    if (fundingConfig != null && fundingConfig.market(market) != null) {
      return fail(
          RejectReason.OPERATOR_FUNDING_TICK_REFUSED,
          "market %d's funding is derived from premium samples on Tick; operator FundingTick"
              + " commands are refused",
          market);
    }
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
    return applyFunding(market, indexDelta, timestamp);
  }

  private String applyFunding(int market, long indexDelta, long timestamp) {
    long next;
    try {
      next = Math.addExact(fundingIndex[market], indexDelta);
    } catch (ArithmeticException e) {
      return fail(RejectReason.AMOUNT_OUT_OF_RANGE, "funding index of market %d overflows", market);
    }
    fundingIndex[market] = next;
    fundingTimestamp[market] = timestamp;
    fundingTicked = market; // pending funding of every holder changed: full scan, re-index
    emit(
        new SequencerEvent.FundingTickApplied(market, indexDelta, next, timestamp, oracle[market]));
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
      long settled = settleFunding(a); // a deposit touches the account
      a.collateral += amount;
      totalDeposited = total;
      dirty.set(account);
      emit(new SequencerEvent.Deposited(account, amount, settled, a.collateral));
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

  /**
   * Credits the insurance fund: its funding is settled first (a touch, as for a deposit), then
   * {@code amount} is added to its collateral and to the deposit total, and an {@link
   * SequencerEvent.InsuranceFundToppedUp} record is emitted. Core thread.
   */
  @Override
  public String topUpInsuranceFund(long amount) {
    if (amount <= 0) {
      return fail(RejectReason.COLLATERAL_REJECTED, "top-up amount %,d must be > 0", amount);
    }
    try {
      Math.addExact(Math.addExact(fund.collateral, pendingFunding(fund)), amount);
      long total = Math.addExact(totalDeposited, amount);
      long settled = settleFunding(fund);
      fund.collateral += amount;
      totalDeposited = total;
      emit(new SequencerEvent.InsuranceFundToppedUp(amount, settled, fund.collateral));
      return null;
    } catch (ArithmeticException e) {
      return fail(
          RejectReason.AMOUNT_OUT_OF_RANGE,
          "top-up of %,d would take the insurance fund's collateral %,d or the deposit total %,d"
              + " out of the 64-bit range",
          amount,
          fund.collateral,
          totalDeposited);
    }
  }

  @Override
  public String transfer(int from, int to, long amount) {
    if (amount <= 0) {
      return fail(RejectReason.COLLATERAL_REJECTED, "transfer amount %,d must be > 0", amount);
    }
    if (to >= MAX_ACCOUNTS) {
      return accountOutOfRange(to);
    }
    Account a = account(from);
    long free;
    try {
      free = a == null ? 0 : Math.subtractExact(equity(a), initialRequirement(a));
    } catch (ArithmeticException e) {
      return fail(RejectReason.AMOUNT_OUT_OF_RANGE, "account %d's equity is out of range", from);
    }
    if (amount > free) {
      return fail(
          RejectReason.INSUFFICIENT_FREE_COLLATERAL,
          "insufficient free collateral: transfer requires %,d, account %d has %,d",
          amount,
          from,
          Math.max(0, free));
    }
    Account b = account(to);
    try {
      long c = b == null ? 0 : Math.addExact(b.collateral, pendingFunding(b));
      Math.addExact(c, amount); // the result must fit: check first
    } catch (ArithmeticException e) {
      return fail(
          RejectReason.AMOUNT_OUT_OF_RANGE,
          "transfer of %,d would take account %d's collateral out of the 64-bit range",
          amount,
          to);
    }
    b = getOrCreate(to);
    long fromSettled = settleFunding(a);
    long toSettled = settleFunding(b);
    a.collateral -= amount; // amount ≤ free ≤ equity: no overflow
    b.collateral += amount;
    dirty.set(from);
    dirty.set(to);
    emit(
        new SequencerEvent.Transferred(
            from, to, amount, fromSettled, toSettled, a.collateral, b.collateral));
    return null;
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
    long settled = settleFunding(a); // equity above already counted it
    a.collateral -= amount; // free ≤ equity ≤ collateral + Σ values: no overflow below
    dirty.set(account);
    totalWithdrawn += amount;
    emit(new SequencerEvent.Withdrawn(account, amount, settled, a.collateral));
    return null;
  }

  /**
   * The order's signed fee cap is a fee <em>rate</em> in ppm of the fill notional (dYdX v3 {@code
   * limitFee}, StarkEx: fee ≤ amount · signed ratio): the order is refused {@link
   * RejectReason#FEE_CAP_EXCEEDED} unless {@code max(maker, taker, 0) ≤ feeCap} for the account's
   * tier. Both rates count because an order may fill as taker and, when it rests, later as maker; a
   * rebate (negative rate) needs no cap. Tiers are fixed by the configuration, so the check at
   * placement holds for every later fill of the order. Core thread.
   */
  @Override
  public String checkFeeCap(int account, long feeCapPpm) {
    FeeTier tier = config.tierOf(account);
    long rate = Math.max(0, Math.max(tier.makerFeePpm(), tier.takerFeePpm()));
    if (rate > feeCapPpm) {
      return fail(
          RejectReason.FEE_CAP_EXCEEDED,
          "fee cap %,d ppm is below account %d's fee rate %,d ppm (tier maker %,d, taker %,d ppm);"
              + " sign a fee cap ≥ %,d",
          feeCapPpm,
          account,
          rate,
          tier.makerFeePpm(),
          tier.takerFeePpm(),
          rate);
    }
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
      Account a = account(account);
      FeeTier tier = a == null ? config.tierOf(account) : a.tier;
      return check(
          account,
          market,
          p,
          side == Side.BUY ? size : -size,
          price,
          Math.max(tier.makerFeePpm(), tier.takerFeePpm()));
    } catch (ArithmeticException e) {
      return fail(
          RejectReason.AMOUNT_OUT_OF_RANGE,
          "order of size %,d at price %,d: %s",
          size,
          price,
          e.getMessage());
    }
  }

  /**
   * The post-trade check of a maker fill: the pre-trade rules (caps, then equity ≥ IMR after the
   * fill, or the undercollateralised reduce rule) applied to the fill itself at its price with the
   * maker's fee rate (a rebate counted as 0). Core thread.
   */
  @Override
  public boolean admitMakerFill(int account, int market, Side makerSide, long size, long price) {
    MarketRisk p = params[market];
    if (p == null || oracle[market] == 0 || account >= MAX_ACCOUNTS) {
      return true; // such an order cannot have passed the pre-check under this engine
    }
    Account a = account(account);
    FeeTier tier = a == null ? config.tierOf(account) : a.tier;
    try {
      return check(
              account, market, p, makerSide == Side.BUY ? size : -size, price, tier.makerFeePpm())
          == null;
    } catch (ArithmeticException e) {
      return false;
    }
  }

  private String check(int account, int market, MarketRisk p, long delta, long price, long feePpm) {
    Account a = account(account);
    long s0 = a == null ? 0 : a.size(market);
    long s1 = Math.addExact(s0, delta);
    long abs0 = Math.abs(s0);
    long abs1 = Math.absExact(s1);
    if (s0 == 0 && s1 != 0 && a != null && a.count > 0) {
      // isolated margin: an isolated market's position is the only one of its account
      boolean holdsIsolated = false;
      for (int i = 0; i < a.count; i++) {
        holdsIsolated |= isolated[a.markets[i]];
      }
      if (isolated[market] || holdsIsolated) {
        int[] held = Arrays.copyOf(a.markets, a.count);
        Arrays.sort(held);
        return fail(
            RejectReason.ISOLATED_MARKET_CONSTRAINT,
            "account %d holds positions in markets %s%s; %s: open it in a separate subaccount"
                + " funded by TransferCollateral",
            account,
            Arrays.toString(held),
            holdsIsolated ? " (isolated)" : "",
            isolated[market]
                ? "market " + market + " is isolated and must be its account's only position"
                : "an account with an isolated position holds no other");
      }
    }
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
    long fee = Math.max(0, RiskMath.fee(cost, feePpm));
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
    long tFunding = settleFunding(t);
    long mFunding = settleFunding(m);
    // a liquidation order pays no taker fee (it pays the liquidation fee below) and its maker gets
    // no rebate (the fee balance never pays out on a fill it takes no taker fee from)
    long takerFee = taker.liquidation ? 0 : RiskMath.fee(cost, t.tier.takerFeePpm());
    long makerFee = RiskMath.fee(cost, m.tier.makerFeePpm());
    if (taker.liquidation) {
      makerFee = Math.max(0, makerFee);
    }
    long signedCost = delta > 0 ? cost : -cost;
    long fi = fundingIndex[market];
    long t0 = t.size(market);
    long t1 = Math.addExact(t0, delta);
    long m0 = m.size(market);
    long m1 = Math.subtractExact(m0, delta);
    long tBefore = t.collateral;
    t.trade(market, delta, price, fi);
    m.trade(market, -delta, price, fi);
    track(t, market);
    track(m, market);
    t.collateral = Math.subtractExact(Math.subtractExact(t.collateral, signedCost), takerFee);
    m.collateral = Math.subtractExact(Math.addExact(m.collateral, signedCost), makerFee);
    feeBalance = Math.addExact(feeBalance, takerFee + makerFee);
    openInterest[market] += Math.max(0, t1) - Math.max(0, t0) + Math.max(0, m1) - Math.max(0, m0);
    emit(
        new SequencerEvent.TradeSettled(
            market,
            t.id,
            m.id,
            delta,
            price,
            takerFee,
            makerFee,
            tFunding,
            mFunding,
            t.collateral,
            m.collateral,
            feeBalance,
            t1,
            m1,
            fi));
    if (taker.liquidation) {
      // liquidation fee: ceil(notional · feePpm / 10^6), capped by the equity left after the fill
      long fee = Math.min(RiskMath.mulPpmUp(cost, liquidation.feePpm()), Math.max(0, equity(t)));
      t.collateral -= fee; // 0 ≤ fee ≤ equity
      fund.collateral = Math.addExact(fund.collateral, fee);
      emit(
          new SequencerEvent.Liquidated(
              t.id,
              m.id,
              market,
              delta,
              price,
              stepLimit,
              stepBankruptcy,
              fee,
              oracle[market],
              tBefore,
              t.collateral,
              m.collateral,
              fund.collateral,
              t1,
              m1));
    }
  }

  // ---------------------------------------------------------------- liquidation

  /**
   * Liquidates the accounts holding a position in {@code market} that are below maintenance margin
   * (equity &lt; Σ MMR, funding counted): first every such account's open orders are cancelled
   * (ascending account id), then each, if still below maintenance margin, gets one liquidation step
   * (see {@code sequencer/README.md}, "Liquidation"). Only the holders of the market are examined
   * (a per-market index), not every account. Core thread.
   */
  @Override
  public void liquidate(int market, LiquidationActions core) {
    if (!liquidation.enabled() || params[market] == null) {
      return;
    }
    BitSet h = holders[market];
    if (h == null || h.isEmpty()) {
      return;
    }
    BitSet candidates;
    if (!indexed || fundingTicked == market) {
      fundingTicked = -1;
      dirty.or(h); // their pending funding moved: their thresholds too
      candidates = h;
    } else {
      candidates = indexCandidates(market);
    }
    int n = 0;
    int[] ids = new int[8];
    for (int id = candidates.nextSetBit(0); id >= 0; id = candidates.nextSetBit(id + 1)) {
      if (liquidatable(accounts[id])) {
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, n * 2);
        }
        ids[n++] = id;
      }
    }
    if (n == 0) {
      return;
    }
    LiquidationActions attached = actions;
    actions = core;
    try {
      for (int k = 0; k < n; k++) {
        Account a = accounts[ids[k]];
        core.emit(
            new SequencerEvent.LiquidationTriggered(
                a.id, equity(a), maintenanceRequirement(a), initialRequirement(a)));
        core.cancelOrders(a.id);
      }
      for (int k = 0; k < n; k++) {
        Account a = accounts[ids[k]];
        if (liquidatable(a)) {
          step(a, core);
        }
      }
    } finally {
      actions = attached;
    }
  }

  private boolean liquidatable(Account a) {
    return a != null && a.count > 0 && equity(a) < maintenanceRequirement(a);
  }

  /** One liquidation step for an account below maintenance margin. */
  private void step(Account a, LiquidationActions core) {
    // no funding settlement here: equity counts pending funding, and the settlement happens (and is
    // recorded) in the fill's TradeSettled or the takeover / deleveraging that closes the position
    if (equity(a) < 0) {
      // bankrupt: every position is closed at its bankruptcy price (fund or deleveraging)
      while (a.count > 0) {
        int i = 0;
        for (int j = 1; j < a.count; j++) {
          if (a.markets[j] < a.markets[i]) {
            i = j;
          }
        }
        closeAtBankruptcy(a, a.markets[i], a.sizes[i]);
      }
      return;
    }
    // the position with the largest maintenance requirement (ties: lowest market id)
    int i = 0;
    long best = -1;
    for (int j = 0; j < a.count; j++) {
      int m = a.markets[j];
      long r = RiskMath.maintenanceRequirement(a.sizes[j], oracle[m], params[m]);
      if (r > best || (r == best && m < a.markets[i])) {
        best = r;
        i = j;
      }
    }
    int m = a.markets[i];
    long s = a.sizes[i];
    long p = oracle[m];
    long abs = Math.abs(s);
    long pLow = p >>> RiskMath.PRICE_FRACTION_BITS;
    long pHigh = Math.ceilDiv(p, 1L << RiskMath.PRICE_FRACTION_BITS);
    long q =
        Math.max(
            RiskMath.mulPpmUp(abs, liquidation.stepFractionPpm()),
            Math.ceilDiv(liquidation.minStepNotional(), Math.max(1, pLow)));
    long stepSize = core.stepSize(m);
    q = q >= abs ? abs : Math.min(abs, Math.ceilDiv(q, stepSize) * stepSize);
    long c = s > 0 ? q : -q;
    long b = bankruptcyPrice(a, m, c);
    long limit;
    if (c > 0) {
      // selling a long: the order fills at ≥ limit, limit between bankruptcy price and oracle
      limit = pLow - RiskMath.mulPpmDown(Math.max(0, pLow - b), liquidation.spreadPpm());
      limit = Math.max(limit, b);
    } else {
      limit = pHigh + RiskMath.mulPpmDown(Math.max(0, b - pHigh), liquidation.spreadPpm());
      limit = Math.min(limit, b);
    }
    stepLimit = limit;
    stepBankruptcy = b;
    long filled = core.liquidationOrder(a.id, m, c > 0 ? Side.SELL : Side.BUY, q, limit);
    long rest = q - filled;
    if (rest > 0) {
      closeAtBankruptcy(a, m, c > 0 ? rest : -rest);
    }
  }

  /**
   * The bankruptcy price of closing {@code c} (same sign as the position) of the account's position
   * in market m: the price at which the closed part takes its share of the account's equity, {@code
   * share = floor(equity · (MMR − MMR after) / MMR)} (all of it when the position is the last one),
   * so that equity / maintenance requirement is unchanged. Closing c at price b changes equity by
   * {@code c · b − Δ}, Δ = value(s) − value(s − c); b is the bound of {@code c · b − Δ ≥ −share}
   * rounded in the account's favour (up when selling a long, down when buying back a short), then
   * clamped to [1, 2^31 − 1].
   */
  private long bankruptcyPrice(Account a, int m, long c) {
    long e = equity(a);
    long mmr = maintenanceRequirement(a);
    long s = a.size(m);
    long p = oracle[m];
    long share;
    if (c == s && a.count == 1) {
      share = e;
    } else {
      long closed =
          Math.subtractExact(
              RiskMath.maintenanceRequirement(s, p, params[m]),
              RiskMath.maintenanceRequirement(s - c, p, params[m]));
      share = mmr == 0 ? 0 : mulDivFloor(e, closed, mmr);
    }
    long x = Math.subtractExact(RiskMath.value(s, p) - RiskMath.value(s - c, p), share);
    long b = c > 0 ? Math.ceilDiv(x, c) : Math.floorDiv(x, c);
    return Math.max(1, Math.min(MAX_PRICE, b));
  }

  /**
   * Closes {@code c} of the account's position at its bankruptcy price: the insurance fund takes it
   * over if the fund's equity stays ≥ 0 afterwards, otherwise it is deleveraged against opposite
   * positions.
   */
  private void closeAtBankruptcy(Account a, int m, long c) {
    long b = bankruptcyPrice(a, m, c);
    long p = oracle[m];
    long fs = fund.size(m);
    long fundAfter =
        Math.addExact(
            Math.subtractExact(equity(fund), Math.multiplyExact(c, b)),
            RiskMath.value(fs + c, p) - RiskMath.value(fs, p));
    if (fundAfter >= 0) {
      settleFunding(a);
      settleFunding(fund); // so that before → after is exactly the transfer
      long before = a.collateral;
      long fundBefore = fund.collateral;
      transfer(a, fund, m, -c, b);
      emit(
          new SequencerEvent.InsuranceTakeover(
              a.id,
              m,
              -c,
              b,
              p,
              before,
              a.collateral,
              fundBefore,
              fund.collateral,
              a.size(m),
              fund.size(m),
              fundingIndex[m]));
      return;
    }
    deleverage(a, m, c, b);
  }

  /** A deleveraging candidate: its rank group and score (num / den, den &gt; 0). */
  private record Candidate(Account account, int group, BigInteger num, BigInteger den) {}

  /**
   * Auto-deleveraging: closes c of the bankrupt account's position at price b against opposite
   * positions, in rank order (dYdX v3): first profitable accounts by pnl% · leverage (pnl = value −
   * cost basis, pnl% = pnl / |cost|, leverage = notional / equity) descending, then unprofitable
   * ones by pnl% / leverage descending, then accounts with equity ≤ 0 or no cost basis, then the
   * insurance fund; ties by ascending account id.
   */
  private void deleverage(Account a, int m, long c, long b) {
    long p = oracle[m];
    List<Candidate> candidates = new ArrayList<>();
    BitSet h = holders[m];
    for (int id = h.nextSetBit(0); id >= 0; id = h.nextSetBit(id + 1)) {
      Account x = accounts[id];
      long sx = x.size(m);
      if (x == a || sx == 0 || Long.signum(sx) == Long.signum(c)) {
        continue;
      }
      long cost = x.cost(m);
      long pnl = RiskMath.value(sx, p) - cost;
      long eq = equity(x);
      long notional = RiskMath.notional(sx, p);
      if (eq <= 0 || cost == 0) {
        candidates.add(new Candidate(x, 2, BigInteger.ZERO, BigInteger.ONE));
      } else if (pnl > 0) {
        candidates.add(
            new Candidate(
                x,
                0,
                BigInteger.valueOf(pnl).multiply(BigInteger.valueOf(notional)),
                BigInteger.valueOf(Math.abs(cost)).multiply(BigInteger.valueOf(eq))));
      } else {
        candidates.add(
            new Candidate(
                x,
                1,
                BigInteger.valueOf(pnl).multiply(BigInteger.valueOf(eq)),
                BigInteger.valueOf(Math.abs(cost)).multiply(BigInteger.valueOf(notional))));
      }
    }
    long fs = fund.size(m);
    if (fs != 0 && Long.signum(fs) != Long.signum(c)) {
      candidates.add(new Candidate(fund, 3, BigInteger.ZERO, BigInteger.ONE));
    }
    candidates.sort(
        Comparator.comparingInt(Candidate::group)
            .thenComparing((x, y) -> y.num().multiply(x.den()).compareTo(x.num().multiply(y.den())))
            .thenComparingInt(x -> x.account().id));
    long left = Math.abs(c);
    for (Candidate k : candidates) {
      if (left == 0) {
        break;
      }
      Account x = k.account();
      long size = Math.min(left, Math.abs(x.size(m)));
      long deltaA = c > 0 ? -size : size;
      settleFunding(a);
      settleFunding(x);
      long before = a.collateral;
      long xBefore = x.collateral;
      transfer(a, x, m, deltaA, b);
      emit(
          new SequencerEvent.Deleveraged(
              a.id,
              x.id,
              m,
              deltaA,
              b,
              p,
              before,
              a.collateral,
              xBefore,
              x.collateral,
              a.size(m),
              x.size(m),
              fundingIndex[m]));
      left -= size;
    }
    if (left != 0) {
      throw new IllegalStateException(
          "deleveraging found too few opposite positions in market " + m + ": " + left + " left");
    }
  }

  /**
   * A position transfer outside the book: {@code a} trades {@code deltaA} at {@code price} with
   * {@code x} (no fees). Conserves collateral and Σ sizes exactly.
   */
  private void transfer(Account a, Account x, int m, long deltaA, long price) {
    settleFunding(a);
    settleFunding(x);
    long cost = Math.multiplyExact(deltaA, price);
    long fi = fundingIndex[m];
    long a0 = a.size(m);
    long x0 = x.size(m);
    a.trade(m, deltaA, price, fi);
    x.trade(m, -deltaA, price, fi);
    a.collateral = Math.subtractExact(a.collateral, cost);
    x.collateral = Math.addExact(x.collateral, cost);
    long a1 = a.size(m);
    long x1 = x.size(m);
    openInterest[m] += Math.max(0, a1) - Math.max(0, a0) + Math.max(0, x1) - Math.max(0, x0);
    track(a, m);
    track(x, m);
    actions.movePosition(a.id, x.id, m, deltaA);
  }

  /**
   * Keeps the per-market holder index (accounts with a position; not the fund) and the set of
   * holders with several positions, and marks the account for re-indexing.
   */
  private void track(Account a, int market) {
    if (a == fund) {
      return;
    }
    BitSet h = holders[market];
    if (a.size(market) != 0) {
      if (h == null) {
        h = new BitSet();
        holders[market] = h;
      }
      h.set(a.id);
    } else if (h != null) {
      h.clear(a.id);
    }
    boolean several = a.count >= 2;
    for (int i = 0; i < a.count; i++) {
      setBit(multi, a.markets[i], a.id, several);
    }
    if (a.size(market) == 0) {
      setBit(multi, market, a.id, false);
    }
    dirty.set(a.id);
  }

  private static void setBit(BitSet[] sets, int market, int id, boolean on) {
    BitSet b = sets[market];
    if (on) {
      if (b == null) {
        b = new BitSet();
        sets[market] = b;
      }
      b.set(id);
    } else if (b != null) {
      b.clear(id);
    }
  }

  /** One market's index entries: one-position longs and shorts by threshold. */
  private static final class ThresholdSets {
    final java.util.TreeSet<Threshold> longs = new java.util.TreeSet<>();
    final java.util.TreeSet<Threshold> shorts = new java.util.TreeSet<>();
  }

  /** A one-position account's liquidation threshold price (32.32) in the index. */
  private record Threshold(long price, int account) implements Comparable<Threshold> {
    @Override
    public int compareTo(Threshold o) {
      int c = Long.compare(price, o.price);
      return c != 0 ? c : Integer.compare(account, o.account);
    }
  }

  /**
   * The accounts that may be liquidatable at market m's current price: the one-position longs whose
   * threshold is above it, the one-position shorts whose threshold is below it, and every holder
   * with several positions. A superset of the liquidatable holders (the thresholds are
   * conservative); the caller checks each exactly.
   */
  private BitSet indexCandidates(int market) {
    reindexDirty();
    BitSet out = new BitSet();
    long p = oracle[market];
    ThresholdSets sets = thresholds[market];
    if (sets != null) {
      for (Threshold t : sets.longs.tailSet(new Threshold(p, Integer.MAX_VALUE), false)) {
        out.set(t.account());
      }
      for (Threshold t : sets.shorts.headSet(new Threshold(p, Integer.MIN_VALUE), false)) {
        out.set(t.account());
      }
    }
    if (multi[market] != null) {
      out.or(multi[market]);
    }
    return out;
  }

  /** Recomputes the index entries of the accounts changed since the last price tick. */
  private void reindexDirty() {
    for (int id = dirty.nextSetBit(0); id >= 0; id = dirty.nextSetBit(id + 1)) {
      Account a = account(id);
      if (a == null) {
        continue;
      }
      if (a.indexedMarket >= 0) {
        ThresholdSets old = thresholds[a.indexedMarket];
        (a.indexedShort ? old.shorts : old.longs).remove(new Threshold(a.indexedThreshold, id));
        a.indexedMarket = -1;
      }
      if (a.count != 1) {
        continue; // no position, or several: scanned through `multi`
      }
      int m = a.markets[0];
      long s = a.sizes[0];
      long t = threshold(Math.addExact(a.collateral, pendingFunding(a)), s, params[m]);
      if (thresholds[m] == null) {
        thresholds[m] = new ThresholdSets();
      }
      (s > 0 ? thresholds[m].longs : thresholds[m].shorts).add(new Threshold(t, id));
      a.indexedMarket = m;
      a.indexedShort = s < 0;
      a.indexedThreshold = t;
    }
    dirty.clear();
  }

  /**
   * A conservative liquidation threshold of a one-position account with collateral (funding
   * included) C and size s: with x = |s| · p / 2^32, equity ≥ C ± x − 1 and MMR ≤ x · f + 2, so a
   * long is safe when x · (1 − f) ≥ 3 − C, i.e. for p ≥ T = ceil(2^32 · (3 − C) / (s · (1 − f))),
   * and a short when x · (1 + f) ≤ C − 3, i.e. for p ≤ T = floor(2^32 · (C − 3) / (|s| · (1 + f))).
   * Exact (BigInteger), clamped to the long range; MMF = 100% makes a long always a candidate.
   */
  private static long threshold(long c, long s, MarketRisk p) {
    BigInteger ppm = BigInteger.valueOf(RiskMath.PPM);
    BigInteger f = BigInteger.valueOf(p.maintenanceMarginPpm());
    BigInteger t;
    if (s > 0) {
      BigInteger den = BigInteger.valueOf(s).multiply(ppm.subtract(f));
      if (den.signum() == 0) {
        return Long.MAX_VALUE;
      }
      BigInteger num =
          BigInteger.valueOf(3).subtract(BigInteger.valueOf(c)).multiply(ppm).shiftLeft(32);
      BigInteger[] qr = num.divideAndRemainder(den);
      t = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    } else {
      BigInteger den = BigInteger.valueOf(s).negate().multiply(ppm.add(f));
      BigInteger num =
          BigInteger.valueOf(c).subtract(BigInteger.valueOf(3)).multiply(ppm).shiftLeft(32);
      BigInteger[] qr = num.divideAndRemainder(den);
      t = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }
    if (t.bitLength() >= 64) {
      return t.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return t.longValue();
  }

  /** floor(a · b / c) for c &gt; 0, exact. */
  private static long mulDivFloor(long a, long b, long c) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
      return Math.floorDiv(lo, c);
    }
    BigInteger[] qr =
        BigInteger.valueOf(a)
            .multiply(BigInteger.valueOf(b))
            .divideAndRemainder(BigInteger.valueOf(c));
    BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    return q.longValueExact();
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
    long sum = pendingFunding(fund);
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
    return a == null ? 0 : maintenanceRequirement(a);
  }

  /**
   * Whether the account is below maintenance margin (has a position and equity &lt; Σ MMR): what
   * triggers its liquidation on the next oracle price or funding tick of a market it holds.
   *
   * @param account the account
   * @return true if liquidatable
   */
  public boolean isLiquidatable(int account) {
    return liquidatable(account(account));
  }

  /**
   * The cost basis of a position (Σ signed entry cost; see README "Auto-deleveraging").
   *
   * @param account the account
   * @param market the market
   * @return collateral quanta (0 without a position)
   */
  public long costBasis(int account, int market) {
    Account a = account(account);
    return a == null ? 0 : a.cost(market);
  }

  /**
   * The insurance fund's collateral (liquidation fees in, takeover losses out).
   *
   * @return collateral quanta
   */
  public long insuranceFundCollateral() {
    return fund.collateral;
  }

  /**
   * The insurance fund's signed position in a market (positions it took over).
   *
   * @param market the market
   * @return synthetic quanta
   */
  public long insuranceFundPosition(int market) {
    return fund.size(market);
  }

  /**
   * The funding index snapshot of one of the insurance fund's positions. Core thread.
   *
   * @param market the market
   * @return the snapshot, 0 if the fund has no position in it
   */
  public long insuranceFundFundingSnapshot(int market) {
    int i = fund.find(market);
    return i < 0 ? 0 : fund.fundingSnapshots[i];
  }

  /**
   * The insurance fund's equity: collateral + pending funding + Σ value of its positions.
   *
   * @return collateral quanta
   */
  public long insuranceFundEquity() {
    return equity(fund);
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
   * Σ accepted deposits and insurance-fund top-ups.
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
   * Σ of all positions in a market, the insurance fund's included (0 whenever consistent).
   *
   * @param market the market
   * @return the sum
   */
  public long positionSum(int market) {
    long sum = fund.size(market);
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
    out.writeBoolean(liquidation.enabled());
    out.writeLong(liquidation.stepFractionPpm());
    out.writeLong(liquidation.minStepNotional());
    out.writeLong(liquidation.spreadPpm());
    out.writeLong(liquidation.feePpm());
    out.writeInt(oracleFundingConfigBytes.length);
    out.write(oracleFundingConfigBytes);
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
        out.writeLong(oracleTimestamp[m]);
        out.writeLong(openInterest[m]);
        out.writeLong(fundingIndex[m]);
        out.writeLong(fundingTimestamp[m]);
      }
    }
    out.writeLong(feeBalance);
    out.writeLong(totalDeposited);
    out.writeLong(totalWithdrawn);
    writeAccount(fund, out);
    int n = 0;
    for (Account a : accounts) {
      if (a != null && !a.isEmpty()) {
        n++;
      }
    }
    out.writeInt(n);
    for (Account a : accounts) {
      if (a != null && !a.isEmpty()) {
        writeAccount(a, out);
      }
    }
    if (sampler != null) {
      sampler.writeState(out);
    }
  }

  /**
   * The oracle and funding configurations, canonically (markets ascending), for the state: a
   * snapshot loads only into an engine whose bytes are equal.
   */
  private static byte[] oracleFundingConfigBytes(OracleConfig o, FundingConfig f) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeBoolean(o != null);
      if (o != null) {
        Map<Integer, OracleConfig.MarketOracle> markets = new TreeMap<>(o.markets());
        out.writeInt(markets.size());
        for (Map.Entry<Integer, OracleConfig.MarketOracle> e : markets.entrySet()) {
          OracleConfig.MarketOracle m = e.getValue();
          out.writeInt(e.getKey());
          out.writeInt(m.signers().size());
          for (var key : m.signers()) {
            byte[] k = key.encode();
            out.writeInt(k.length);
            out.write(k);
          }
          out.writeInt(m.quorum());
          out.writeLong(m.maxAgeSeconds());
          out.writeLong(m.maxFutureSeconds());
          out.writeLong(m.maxMovePpm());
        }
      }
      out.writeBoolean(f != null);
      if (f != null) {
        out.writeLong(f.sampleIntervalSeconds());
        out.writeLong(f.tickIntervalSeconds());
        Map<Integer, FundingConfig.MarketFunding> markets = new TreeMap<>(f.markets());
        out.writeInt(markets.size());
        for (Map.Entry<Integer, FundingConfig.MarketFunding> e : markets.entrySet()) {
          FundingConfig.MarketFunding m = e.getValue();
          out.writeInt(e.getKey());
          out.writeLong(m.impactCollateral());
          out.writeLong(m.interestPpm());
          out.writeLong(m.sampleClampFactorPpm());
          out.writeLong(m.rateClampFactorPpm());
          out.writeLong(m.maxRatePpm());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory stream: cannot happen
    }
    return bytes.toByteArray();
  }

  private static void writeAccount(Account a, DataOutput out) throws IOException {
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
      out.writeLong(a.costs[i]);
    }
  }

  private void readAccount(Account a, DataInput in) throws IOException {
    a.collateral = in.readLong();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      int m = in.readInt();
      long size = in.readLong();
      a.setSize(m, size, in.readLong());
      a.costs[a.find(m)] = in.readLong();
      track(a, m);
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
    int[] iso = c.isolatedMarkets().stream().mapToInt(Integer::intValue).sorted().toArray();
    out.writeInt(iso.length);
    for (int m : iso) {
      out.writeInt(m);
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
    LiquidationConfig storedLiquidation =
        new LiquidationConfig(
            in.readBoolean(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
    if (!storedLiquidation.equals(liquidation)) {
      throw new IOException(
          "the state was written with other liquidation parameters: "
              + storedLiquidation
              + " vs "
              + liquidation);
    }
    int configLength = in.readInt();
    if (configLength != oracleFundingConfigBytes.length) {
      throw new IOException("the state was written with other oracle or funding parameters");
    }
    byte[] storedConfig = new byte[configLength];
    in.readFully(storedConfig);
    if (!Arrays.equals(storedConfig, oracleFundingConfigBytes)) {
      throw new IOException("the state was written with other oracle or funding parameters");
    }
    Arrays.fill(oracle, 0);
    Arrays.fill(oracleTimestamp, 0);
    Arrays.fill(openInterest, 0);
    Arrays.fill(fundingIndex, 0);
    Arrays.fill(fundingTimestamp, 0);
    accounts = new Account[1024];
    Arrays.fill(holders, null);
    Arrays.fill(multi, null);
    Arrays.fill(thresholds, null);
    dirty.clear();
    fundingTicked = -1;
    while (fund.count > 0) {
      fund.setSize(fund.markets[0], 0, 0);
    }
    int priced = in.readInt();
    for (int i = 0; i < priced; i++) {
      int m = in.readInt();
      oracle[m] = in.readLong();
      oracleTimestamp[m] = in.readLong();
      openInterest[m] = in.readLong();
      fundingIndex[m] = in.readLong();
      fundingTimestamp[m] = in.readLong();
    }
    feeBalance = in.readLong();
    totalDeposited = in.readLong();
    totalWithdrawn = in.readLong();
    if (in.readInt() != INSURANCE_FUND) {
      throw new IOException("insurance fund record missing from the risk state");
    }
    readAccount(fund, in);
    int n = in.readInt();
    for (int k = 0; k < n; k++) {
      readAccount(getOrCreate(in.readInt()), in);
    }
    if (sampler != null) {
      sampler.readState(in);
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
    java.util.Set<Integer> iso = new java.util.TreeSet<>();
    int n2 = in.readInt();
    for (int i = 0; i < n2; i++) {
      iso.add(in.readInt());
    }
    return new RiskConfig(markets, List.of(tiers), at, iso);
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

  /**
   * Settles funding on touch: credits the pending funding, moves the snapshots to the index.
   * Returns the amount credited (negative = paid).
   */
  private long settleFunding(Account a) {
    long total = 0;
    for (int i = 0; i < a.count; i++) {
      long index = fundingIndex[a.markets[i]];
      if (a.fundingSnapshots[i] != index) {
        long credit = RiskMath.fundingCredit(a.sizes[i], a.fundingSnapshots[i], index);
        a.collateral = Math.addExact(a.collateral, credit);
        total += credit;
        a.fundingSnapshots[i] = index;
      }
    }
    return total;
  }

  private void emit(SequencerEvent event) {
    if (actions != null) {
      actions.emit(event);
    }
  }

  private long maintenanceRequirement(Account a) {
    long r = 0;
    for (int i = 0; i < a.count; i++) {
      int m = a.markets[i];
      r = Math.addExact(r, RiskMath.maintenanceRequirement(a.sizes[i], oracle[m], params[m]));
    }
    return r;
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
