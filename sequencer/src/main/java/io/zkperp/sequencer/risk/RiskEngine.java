package io.zkperp.sequencer.risk;

import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBook;
import io.zkperp.sequencer.core.LiquidationActions;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.Verdict;
import io.zkperp.sequencer.risk.funding.DepthLevels;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.funding.FundingTickCalculator;
import io.zkperp.sequencer.risk.funding.PremiumSampler;
import io.zkperp.sequencer.risk.oracle.OracleAggregator;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.sequencer.risk.oracle.OracleResult;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The cross-margin risk engine of [risk], the core's {@link RiskHook}: accounts with collateral and
 * positions, valuation at the oracle price, the pre-trade margin check on every order (worst case:
 * fully filled at its limit price), settlement of every fill with maker/taker fees to the fee
 * balance, maximum position size and open-interest caps, post-trade checks on both sides of fills,
 * deposits, withdrawals and transfers, isolated markets (isolated margin through subaccounts),
 * state-change records, and liquidation: partial liquidation by IOC orders against the book,
 * insurance-fund takeover and auto-deleveraging, found through a per-market liquidation-price
 * index; optionally a quorum-signed oracle ({@link OracleConfig}) and funding derived from premium
 * samples ({@link FundingConfig}), and the signed fee cap checked against the account's fee tier.
 * The formulas and rounding are in {@code sequencer/README.md} ("Risk") and {@link RiskMath}. Its
 * state is appended to the core's canonical state, so it is in the state hash and in snapshots.
 *
 * <p>A façade: each rule lives in one part (listed in {@code package-info}), and this class only
 * routes the hook's calls to it.
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

  /** Largest trader account id + 1: 2^24 − 1 (accounts are a dense array). */
  public static final int MAX_ACCOUNTS = AccountBook.MAX_ACCOUNTS;

  /**
   * The insurance fund's account id: 2^24 − 1, the last leaf of state layout v2's accounts tree
   * ({@code LayoutV2.INSURANCE_FUND_ACCOUNT}). No trader can use it: the engine rejects orders,
   * deposits and transfers for ids at or above {@link #MAX_ACCOUNTS}.
   */
  public static final int INSURANCE_FUND = AccountBook.FUND_ID;

  /**
   * Most open positions of one account (layout v2's fixed position list): an order or fill that
   * would open a 9th is rejected {@link io.zkperp.sequencer.RejectReason#TOO_MANY_POSITIONS}.
   */
  public static final int MAX_POSITIONS = AccountBook.MAX_POSITIONS;

  private final RiskConfig config;
  private final RecordSink records = new RecordSink();
  private final RiskMarkets markets;
  private final AccountBook book;
  private final LiquidationIndex index;
  private final MarginChecks margins;
  private final Settlement settlement;
  private final FundingState funding;
  private final OracleInput oracle;
  private final Liquidator liquidator;
  private final ForcedTrades forcedTrades;
  private final RiskStateCodec codec;
  private final InsuranceFundView fundView;

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
    this.config = Objects.requireNonNull(config);
    Objects.requireNonNull(liquidation);
    this.markets = new RiskMarkets(config);
    this.book = new AccountBook(config, markets);
    this.index = new LiquidationIndex(indexed, book, markets);
    this.margins = new MarginChecks(config, book, markets);
    RiskParts parts = new RiskParts(book, markets, index, liquidation, records);
    this.settlement = new Settlement(parts);
    this.funding = new FundingState(funding, config, markets, index, records);
    this.oracle = new OracleInput(oracle, markets, records);
    this.liquidator = new Liquidator(parts, settlement);
    this.forcedTrades = new ForcedTrades(parts, margins, settlement);
    this.codec = new RiskStateCodec(parts, config, oracle, funding, this.funding.sampler());
    this.fundView = new InsuranceFundView(book);
  }

  /**
   * The configuration. Any thread (immutable).
   *
   * @return the configuration
   */
  public RiskConfig config() {
    return config;
  }

  /**
   * The premium sampler (read its period state in tests and tools). Core thread.
   *
   * @return it, or null without a funding configuration
   */
  public PremiumSampler sampler() {
    return funding.sampler();
  }

  /**
   * The timestamp of the market's current oracle price. Core thread.
   *
   * @param market the market
   * @return seconds; 0 if it has no price
   */
  public long oracleTimestamp(int market) {
    return markets.get(market).oracleTimestamp;
  }

  /**
   * The timestamp of the market's last funding tick (or, for a market with a funding configuration
   * that has not ticked yet, the start of its first sampling period). Core thread.
   *
   * @param market the market
   * @return seconds; 0 if none
   */
  public long fundingTimestamp(int market) {
    return markets.get(market).fundingTimestamp;
  }

  // ---------------------------------------------------------------- hook

  @Override
  public void attach(LiquidationActions core) {
    records.attach(core);
  }

  /**
   * Records the price ({@link SequencerEvent.PriceTickApplied}) with its timestamp and the core's
   * time.
   */
  @Override
  public Verdict oraclePrice(int market, long price, long timestamp, long now) {
    return oracle.unsigned(market, price, timestamp, now);
  }

  @Override
  public long oraclePriceFixed(int market) {
    return markets.oracle(market);
  }

  @Override
  public OracleAggregator oracleAggregator() {
    return oracle.aggregator();
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
    return oracle.signed(market, reports, now);
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
    funding.onTick(
        now,
        books,
        market -> {
          if (records.core() != null) {
            liquidator.liquidate(market, records.core());
          }
        });
  }

  /**
   * Applies a funding tick derived from premium samples, bounded by {@link
   * FundingTickCalculator#checkTick}{@code (indexDelta, oracle, timestamp − fundingTimestamp,
   * maxRatePpm)}: {@code |Δindex| · 10^6 · 28,800 ≤ maxRate · Δt · price}. Core thread.
   *
   * @param market a market of the funding configuration
   * @param indexDelta the index change, 32.32
   * @param timestamp the tick's time
   * @return {@link Verdict#ACCEPTED} if applied; otherwise the rejection ({@link
   *     RejectReason#INVALID_FUNDING_TICK}, nothing changed)
   */
  Verdict applyDerivedTick(int market, long indexDelta, long timestamp) {
    return funding.derivedTick(market, indexDelta, timestamp);
  }

  /**
   * The operator's {@code FundingTick}: refused for a market of the funding configuration (its
   * ticks are derived on {@code Tick}); otherwise bounded by the fixed {@link
   * #MAX_FUNDING_TICK_PPM} of the oracle price (tests and devnet).
   */
  @Override
  public Verdict fundingTick(int market, long indexDelta, long timestamp) {
    return funding.operatorTick(market, indexDelta, timestamp);
  }

  @Override
  public Verdict deposit(int account, long amount) {
    return settlement.deposit(account, amount);
  }

  /**
   * Credits the insurance fund: funding settled first, then {@code amount} added to its collateral
   * and the deposit total; emits {@link SequencerEvent.InsuranceFundToppedUp}. Core thread.
   */
  @Override
  public Verdict topUpInsuranceFund(long amount) {
    return settlement.topUpInsuranceFund(amount);
  }

  @Override
  public Verdict transfer(int from, int to, long amount) {
    return settlement.transfer(from, to, amount);
  }

  @Override
  public Verdict withdraw(int account, long amount) {
    return settlement.withdraw(account, amount);
  }

  @Override
  public ForcedTradeReason forcedTrade(long index, ForcedTradeRequest r, long slot, boolean sig) {
    return forcedTrades.serve(index, r, slot, sig);
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
  public Verdict checkFeeCap(int account, long feeCapPpm) {
    return margins.checkFeeCap(account, feeCapPpm);
  }

  @Override
  public Verdict preCheck(
      int account, int market, Side side, long size, long price, long position) {
    return margins.preCheck(account, market, side, size, price);
  }

  /**
   * The post-trade check of a maker fill: the pre-trade rules (caps, then equity ≥ IMR after the
   * fill, or the undercollateralised reduce rule) applied to the fill itself at its price with the
   * maker's fee rate (a rebate counted as 0). Core thread.
   */
  @Override
  public boolean admitMakerFill(int account, int market, Side makerSide, long size, long price) {
    return margins.admitFill(account, market, makerSide, size, price, false);
  }

  /**
   * The post-trade check of a taker fill: the rule of {@link #admitMakerFill} (same function)
   * applied to the taker's side of the fill with the taker's fee rate (a rebate counted as 0), so
   * that both sides of every fill pass the rule the trade circuit checks. Core thread.
   */
  @Override
  public boolean admitTakerFill(int account, int market, Side takerSide, long size, long price) {
    return margins.admitFill(account, market, takerSide, size, price, true);
  }

  /**
   * A liquidation order fills only while its account is below maintenance margin on the state
   * before the fill (the liquidation fill's circuit re-proves it for every fill). Core thread.
   */
  @Override
  public boolean admitLiquidationFill(int account) {
    return book.liquidatable(book.account(account));
  }

  @Override
  public void settle(Order maker, Order taker, long price, long size) {
    settlement.settle(maker, taker, price, size);
  }

  /**
   * Liquidates the accounts holding a position in {@code market} that are below maintenance margin
   * (equity &lt; Σ MMR, funding counted): first every such account's open orders are cancelled
   * (ascending account id), then each, if still below maintenance margin, gets one liquidation step
   * (see {@code sequencer/README.md}, "Liquidation"). Only the holders of the market are examined
   * (a per-market index), not every account. Core thread.
   */
  @Override
  public void liquidate(int market, LiquidationActions core) {
    liquidator.liquidate(market, core);
  }

  // ---------------------------------------------------------------- state

  @Override
  public void writeState(DataOutput out) throws IOException {
    codec.write(out);
  }

  @Override
  public void readState(DataInput in) throws IOException {
    codec.read(in);
  }

  // ---------------------------------------------------------------- queries

  /**
   * An account's collateral.
   *
   * @param account the account
   * @return collateral quanta (0 for an unknown account)
   */
  public long collateral(int account) {
    Account a = book.account(account);
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
    Account a = book.account(account);
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
    Account a = book.account(account);
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
    Account a = book.account(account);
    return a == null ? 0 : book.pendingFunding(a);
  }

  /**
   * Σ over all accounts of {@link #pendingFunding(int)}.
   *
   * @return collateral quanta
   */
  public long totalPendingFunding() {
    return book.totalPendingFunding();
  }

  /**
   * A market's funding index.
   *
   * @param market the market
   * @return 32.32 fixed point
   */
  public long fundingIndex(int market) {
    return markets.fundingIndex(market);
  }

  /**
   * Equity: collateral + pending funding + Σ floor(size · oracle / 2^32).
   *
   * @param account the account
   * @return collateral quanta
   */
  public long equity(int account) {
    Account a = book.account(account);
    return a == null ? 0 : book.equity(a);
  }

  /**
   * Σ initial margin requirements at the oracle prices.
   *
   * @param account the account
   * @return collateral quanta
   */
  public long initialRequirement(int account) {
    Account a = book.account(account);
    return a == null ? 0 : book.initialRequirement(a);
  }

  /**
   * Σ maintenance margin requirements at the oracle prices.
   *
   * @param account the account
   * @return collateral quanta
   */
  public long maintenanceRequirement(int account) {
    Account a = book.account(account);
    return a == null ? 0 : book.maintenanceRequirement(a);
  }

  /**
   * Whether the account is below maintenance margin (has a position and equity &lt; Σ MMR): what
   * triggers its liquidation on the next oracle price or funding tick of a market it holds.
   *
   * @param account the account
   * @return true if liquidatable
   */
  public boolean isLiquidatable(int account) {
    return book.liquidatable(book.account(account));
  }

  /**
   * The cost basis of a position (Σ signed entry cost; see README "Auto-deleveraging").
   *
   * @param account the account
   * @param market the market
   * @return collateral quanta (0 without a position)
   */
  public long costBasis(int account, int market) {
    Account a = book.account(account);
    return a == null ? 0 : a.cost(market);
  }

  /**
   * The insurance fund's account (account {@link #INSURANCE_FUND}): collateral, positions, equity.
   * Core thread, like every query here.
   *
   * @return a view over the engine's live state (not a copy)
   */
  public InsuranceFundView insuranceFund() {
    return fundView;
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
    return book.feeBalance;
  }

  /**
   * Σ accepted deposits and insurance-fund top-ups.
   *
   * @return collateral quanta
   */
  public long totalDeposited() {
    return book.totalDeposited;
  }

  /**
   * Σ accepted withdrawals.
   *
   * @return collateral quanta
   */
  public long totalWithdrawn() {
    return book.totalWithdrawn;
  }

  /**
   * Σ collateral of all accounts.
   *
   * @return collateral quanta
   */
  public long totalCollateral() {
    return book.totalCollateral();
  }

  /**
   * A market's open interest (Σ long sizes).
   *
   * @param market the market
   * @return synthetic quanta
   */
  public long openInterest(int market) {
    return markets.get(market).openInterest;
  }

  /**
   * Σ of all positions in a market, the insurance fund's included (0 whenever consistent).
   *
   * @param market the market
   * @return the sum
   */
  public long positionSum(int market) {
    return book.positionSum(market);
  }

  /**
   * The oracle price in use.
   *
   * @param market the market
   * @return the 32.32 fixed-point price, 0 if none yet
   */
  public long oracleFixed(int market) {
    return markets.oracle(market);
  }
}
