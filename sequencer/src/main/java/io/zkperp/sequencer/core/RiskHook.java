package io.zkperp.sequencer.core;

import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBook;
import io.zkperp.sequencer.risk.ForcedTradeRequest;
import io.zkperp.sequencer.risk.oracle.OracleAggregator;
import io.zkperp.sequencer.risk.oracle.OracleRejection;
import io.zkperp.sequencer.risk.oracle.OracleResult;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The pipeline's risk stages, as in exchange-core (risk pre-check → match → settle). The core calls
 * {@link #preCheck} after its own validation and before the order touches the book, and {@link
 * #settle} after each fill. It also hands the hook the collateral commands ({@link #deposit},
 * {@link #withdraw}) and every oracle price ({@link #oraclePrice}), and lets it append its state to
 * the core's canonical state ({@link #writeState}, {@link #readState}) so that it is part of the
 * state hash and of snapshots. Every method runs on the core thread and must be deterministic: a
 * risk engine's state must be a function of the commands applied (it is restored by replaying the
 * journal). A method that rejects must change nothing. {@link #PERMISSIVE} accepts every order,
 * ignores fills, rejects collateral and funding commands and has no state; {@code risk.RiskEngine}
 * is the margin engine.
 */
public interface RiskHook {
  /** Accepts every order and ignores fills; rejects collateral and funding commands; no state. */
  RiskHook PERMISSIVE = new Permissive();

  /**
   * The hook of {@link #PERMISSIVE}; a test hook extends it to override only the stages it
   * exercises. Core thread.
   */
  class Permissive implements RiskHook {
    /** A hook that accepts every order and ignores fills. */
    public Permissive() {}

    @Override
    public Verdict preCheck(
        int account, int market, Side side, long size, long price, long position) {
      return Verdict.ACCEPTED;
    }

    @Override
    public void settle(Order maker, Order taker, long price, long size) {}
  }

  /** The rejection of collateral and funding commands by a core without a risk engine. */
  private static Verdict noRiskEngine(String what) {
    return Verdict.reject(
        RejectReason.NO_RISK_ENGINE, "%s need a risk engine; this core runs without one", what);
  }

  /**
   * Decides whether an order may reach the book. Called on the core thread.
   *
   * @param account the account
   * @param market the market
   * @param side the order side
   * @param size the order size
   * @param price the limit (or worst) price
   * @param position the account's current signed position in the market
   * @return {@link Verdict#ACCEPTED}, or the rejection (what is wrong, what would pass)
   */
  Verdict preCheck(int account, int market, Side side, long size, long price, long position);

  /**
   * Settles one fill (collateral, fees within the orders' fee caps). Called on the core thread; the
   * orders are pooled objects, valid during the call only.
   *
   * @param maker the resting order
   * @param taker the incoming order
   * @param price the fill price
   * @param size the fill size
   */
  void settle(Order maker, Order taker, long price, long size);

  /**
   * Credits collateral. Core thread.
   *
   * @param account the account
   * @param amount the amount in collateral quanta
   * @return {@link Verdict#ACCEPTED} if applied; otherwise the rejection (nothing changed)
   */
  default Verdict deposit(int account, long amount) {
    return noRiskEngine("collateral commands");
  }

  /**
   * Debits collateral within free collateral. Core thread.
   *
   * @param account the account
   * @param amount the amount in collateral quanta
   * @return {@link Verdict#ACCEPTED} if applied; otherwise the rejection (nothing changed)
   */
  default Verdict withdraw(int account, long amount) {
    return noRiskEngine("collateral commands");
  }

  /**
   * Credits the insurance fund from outside the system (an operator deposit into the fund, counted
   * in the deposits). Core thread.
   *
   * @param amount the amount in collateral quanta
   * @return {@link Verdict#ACCEPTED} if applied; otherwise the rejection (nothing changed)
   */
  default Verdict topUpInsuranceFund(long amount) {
    return noRiskEngine("collateral commands");
  }

  /**
   * Moves collateral between two accounts within the source's free collateral. Core thread.
   *
   * @param from the source account
   * @param to the destination account (≠ from)
   * @param amount the amount in collateral quanta
   * @return {@link Verdict#ACCEPTED} if applied; otherwise the rejection (nothing changed)
   */
  default Verdict transfer(int from, int to, long amount) {
    return noRiskEngine("collateral commands");
  }

  /**
   * Moves a market's funding index. Core thread.
   *
   * @param market the market (listed)
   * @param indexDelta the index change, 32.32 fixed point
   * @param timestamp the tick's time
   * @return {@link Verdict#ACCEPTED} if applied; otherwise the rejection (nothing changed)
   */
  default Verdict fundingTick(int market, long indexDelta, long timestamp) {
    return noRiskEngine("funding ticks");
  }

  /**
   * Sees an unsigned oracle price the core has validated, before the core applies it (and before it
   * triggers conditional orders). Core thread. Accepts every price by default.
   *
   * @param market the market
   * @param price the price, in order-price units
   * @param timestamp the price's timestamp
   * @param now the core's journaled time (last {@code Tick}), seconds
   * @return {@link Verdict#ACCEPTED} if taken; otherwise the rejection (nothing changed, the core
   *     rejects)
   */
  default Verdict oraclePrice(int market, long price, long timestamp, long now) {
    return Verdict.ACCEPTED;
  }

  /**
   * Validates a batch of signed price reports (signatures already verified by the intake, see
   * {@link #oracleAggregator}) against the market's oracle configuration and, if it is accepted,
   * makes its median the market's oracle price. Core thread. Rejects every batch by default.
   *
   * @param market the market (listed in the core)
   * @param reports the reports
   * @param now the core's journaled time (last {@code Tick}), seconds
   * @return the accepted price (32.32) and timestamp, or the rejection (then nothing changed)
   */
  default OracleResult signedOraclePrices(int market, List<PriceReport> reports, long now) {
    return new OracleResult.Rejected(
        OracleRejection.MARKET_NOT_CONFIGURED,
        "signed oracle prices need a risk engine with an oracle configuration; this core has none");
  }

  /**
   * The aggregator whose {@link OracleAggregator#verifySignatures} the intake threads run on every
   * {@code SignedOraclePrices} before it is journaled. Immutable, so any thread may use the result.
   *
   * @return the aggregator, or null if the hook takes no signed prices (then the core rejects them)
   */
  default OracleAggregator oracleAggregator() {
    return null;
  }

  /**
   * Decides a forced trade served from the L1 priority queue, trades it (no fee) if it executes,
   * and emits its {@link SequencerEvent.ForcedTradeServed} record whatever the outcome; an invalid
   * request changes nothing. Core thread. A core without a risk engine cannot decide one: null.
   *
   * @param priorityIndex the request's L1 priority-queue index (for the record)
   * @param request the request
   * @param slotNonce the nonce A's fill slot {@code request.nonce() mod 2^12} holds (0: none)
   * @param signatureValid whether B's signature of the request verifies under B's key
   * @return the outcome, or null if the hook decides no forced trades (then the core rejects)
   */
  default ForcedTradeReason forcedTrade(
      long priorityIndex, ForcedTradeRequest request, long slotNonce, boolean signatureValid) {
    return null;
  }

  /**
   * Called by the core at the end of every accepted {@code Tick} (and only then), with the core's
   * new time and its books: the hook takes its funding premium samples and applies the funding
   * ticks that are due (liquidating through the actions attached by {@link #attach}). Core thread.
   * Does nothing by default.
   *
   * @param now the core's time after the tick, seconds
   * @param books the book of a listed market by id (null for an unlisted one); read only
   */
  default void onTick(long now, IntFunction<OrderBook> books) {}

  /**
   * The typed reason of an order whose signed fee cap is below the fee rates the hook would charge,
   * checked before {@link #preCheck}. Core thread. Accepts every fee cap by default.
   *
   * @param account the account
   * @param feeCapPpm the order's signed fee cap, ppm
   * @return {@link Verdict#ACCEPTED}, or the rejection ({@link RejectReason#FEE_CAP_EXCEEDED})
   */
  default Verdict checkFeeCap(int account, long feeCapPpm) {
    return Verdict.ACCEPTED;
  }

  /**
   * The market's oracle price in 32.32 fixed point, if the hook keeps it (the core compares trigger
   * prices against it exactly). Core thread.
   *
   * @param market the market
   * @return the price, or 0 if the hook keeps none (then the core uses its integer price)
   */
  default long oraclePriceFixed(int market) {
    return 0;
  }

  /**
   * Called once by the core's constructor with the core's actions, so that the hook can emit
   * state-change records ({@link LiquidationActions#emit}) from any of its methods. Core thread (or
   * the thread that builds the core). Ignored by default.
   *
   * @param core the core's actions, valid for the core's lifetime
   */
  default void attach(LiquidationActions core) {}

  /**
   * The post-trade check of a resting order about to be filled (also used to count FOK
   * fillability). Core thread. Accepts every fill by default.
   *
   * @param account the maker's account
   * @param market the market
   * @param makerSide the maker's side
   * @param size the fill size
   * @param price the fill price
   * @return true to fill; false to cancel the maker instead ({@code POST_TRADE_CHECK_FAILED})
   */
  default boolean admitMakerFill(int account, int market, Side makerSide, long size, long price) {
    return true;
  }

  /**
   * The post-trade check of an incoming (taker) order about to be filled against a maker that
   * passed {@link #admitMakerFill}: the same rule as for a maker, with the taker's side and fee
   * rate. Not asked for liquidation orders. Core thread. Accepts every fill by default.
   *
   * @param account the taker's account
   * @param market the market
   * @param takerSide the taker's side
   * @param size the fill size
   * @param price the fill price (the maker's price)
   * @return true to fill; false to stop matching before this fill and cancel the taker's remainder
   *     ({@code POST_TRADE_CHECK_FAILED}; fills already made stand)
   */
  default boolean admitTakerFill(int account, int market, Side takerSide, long size, long price) {
    return true;
  }

  /**
   * Whether a liquidation order of the account may make its next fill: the account must still be
   * below maintenance margin on the state before this fill, as the liquidation fill's circuit
   * re-proves it for every fill (docs/perp-circuit.md §11.3). Asked before every fill of a
   * liquidation order instead of {@link #admitTakerFill}. Core thread. Accepts every fill by
   * default.
   *
   * @param account the liquidated account
   * @return true to fill; false to stop the liquidation order before this fill (fills already made
   *     stand; the risk hook's step sees the unfilled rest)
   */
  default boolean admitLiquidationFill(int account) {
    return true;
  }

  /**
   * Called by the core after an accepted {@link io.zkperp.sequencer.command.OraclePrice} or {@link
   * io.zkperp.sequencer.command.SignedOraclePrices} (after conditional orders have run) and after
   * an accepted {@link io.zkperp.sequencer.command.FundingTick}, with the market concerned: the
   * hook liquidates the accounts that have fallen below maintenance margin, through {@code
   * actions}. Deterministic: it depends only on the state, so a replay of the journal liquidates
   * identically. Core thread. Does nothing by default.
   *
   * @param market the market whose price or funding index moved
   * @param actions what the hook may do to the core
   */
  default void liquidate(int market, LiquidationActions actions) {}

  /**
   * Appends the hook's state to the core's canonical serialisation (after the core's own state).
   * Writes nothing by default.
   *
   * @param out the destination
   * @throws IOException if writing fails
   */
  default void writeState(DataOutput out) throws IOException {}

  /**
   * Replaces the hook's state with one written by {@link #writeState}. Reads nothing by default.
   *
   * @param in the source
   * @throws IOException if reading fails or the state does not fit this hook
   */
  default void readState(DataInput in) throws IOException {}
}
