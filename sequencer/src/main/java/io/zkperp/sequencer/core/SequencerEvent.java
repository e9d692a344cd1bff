package io.zkperp.sequencer.core;

import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.risk.ForcedTradeRequest;

/**
 * An immutable copy of a core event, for the gateway's streams and the batcher. Records; any
 * thread.
 */
public sealed interface SequencerEvent {
  /**
   * An order was accepted and got its id.
   *
   * @param orderId the order id
   * @param account the owner
   * @param market the market
   * @param clientOrderId the client order id
   * @param side the side
   * @param price the limit price
   * @param size the signed size
   * @param nonce the nonce
   */
  record OrderAccepted(
      long orderId,
      int account,
      int market,
      int clientOrderId,
      Side side,
      long price,
      long size,
      long nonce)
      implements SequencerEvent {}

  /**
   * A conditional order was triggered.
   *
   * @param orderId the order id
   * @param account the owner
   * @param market the market
   */
  record OrderTriggered(long orderId, int account, int market) implements SequencerEvent {}

  /**
   * A fill.
   *
   * @param market the market
   * @param makerOrderId the resting order
   * @param makerAccount its owner
   * @param makerNonce its nonce (the batcher's fill-tree slot)
   * @param takerOrderId the incoming order
   * @param takerAccount its owner
   * @param takerNonce its nonce
   * @param takerSide the taker's side
   * @param price the fill price
   * @param size the fill size
   */
  record Fill(
      int market,
      long makerOrderId,
      int makerAccount,
      long makerNonce,
      long takerOrderId,
      int takerAccount,
      long takerNonce,
      Side takerSide,
      long price,
      long size)
      implements SequencerEvent {}

  /**
   * An order is no longer live.
   *
   * @param orderId the order id
   * @param account the owner
   * @param market the market
   * @param remaining its unfilled size
   * @param reason why
   */
  record OrderClosed(long orderId, int account, int market, long remaining, CloseReason reason)
      implements SequencerEvent {}

  /**
   * The command was rejected.
   *
   * @param reason the typed reason
   * @param message what was wrong and what would be accepted
   */
  record Rejected(RejectReason reason, String message) implements SequencerEvent {}

  /**
   * State-change record of a deposit (risk engine): what the batcher applies to the account leaf.
   *
   * @param account the account
   * @param amount the amount credited
   * @param fundingSettled the funding settled into the collateral first (touch; negative = paid)
   * @param collateralAfter the collateral after
   */
  record Deposited(int account, long amount, long fundingSettled, long collateralAfter)
      implements SequencerEvent {}

  /**
   * State-change record of a withdrawal (risk engine).
   *
   * @param account the account
   * @param amount the amount debited (within free collateral)
   * @param fundingSettled the funding settled into the collateral first
   * @param collateralAfter the collateral after
   */
  record Withdrawn(int account, long amount, long fundingSettled, long collateralAfter)
      implements SequencerEvent {}

  /**
   * State-change record of an insurance-fund top-up (risk engine): collateral from outside the
   * system into the fund, counted in the deposits.
   *
   * @param amount the amount credited
   * @param fundingSettled the funding settled into the fund's collateral first (its positions;
   *     touch)
   * @param fundCollateralAfter the fund's collateral after
   */
  record InsuranceFundToppedUp(long amount, long fundingSettled, long fundCollateralAfter)
      implements SequencerEvent {}

  /**
   * State-change record of a collateral transfer between accounts (risk engine).
   *
   * @param from the source account
   * @param to the destination account
   * @param amount the amount moved
   * @param fromFundingSettled funding settled into the source first
   * @param toFundingSettled funding settled into the destination first
   * @param fromCollateralAfter the source's collateral after
   * @param toCollateralAfter the destination's collateral after
   */
  record Transferred(
      int from,
      int to,
      long amount,
      long fromFundingSettled,
      long toFundingSettled,
      long fromCollateralAfter,
      long toCollateralAfter)
      implements SequencerEvent {}

  /**
   * State-change record of a funding tick (risk engine): the market's funding index moved.
   *
   * @param market the market
   * @param indexDelta the change, 32.32
   * @param indexAfter the index after, 32.32
   * @param timestamp the tick's timestamp
   * @param oraclePrice the oracle price the bound was checked against, 32.32
   */
  record FundingTickApplied(
      int market, long indexDelta, long indexAfter, long timestamp, long oraclePrice)
      implements SequencerEvent {}

  /**
   * A funding tick derived from the market's premium samples on a {@code Tick} (risk engine with a
   * funding configuration), emitted right after its {@link FundingTickApplied}: every number of the
   * period, so that the batcher and the prover can re-derive the index delta.
   *
   * @param market the market
   * @param timestamp the tick's time (the core's time), seconds
   * @param intervalSeconds Δt: the period's length, seconds
   * @param samples the premium samples taken in the period
   * @param divisor what the sum was divided by: max(samples, ⌊Δt / sampleInterval⌋)
   * @param averagePremiumPpm the average premium, ppm, rounded toward zero
   * @param ratePpm the 8-hour rate after interest and the clamp, ppm
   * @param oraclePrice the index price the delta was computed at, 32.32
   * @param indexDelta the funding index change, 32.32
   */
  record FundingTickDerived(
      int market,
      long timestamp,
      long intervalSeconds,
      int samples,
      long divisor,
      long averagePremiumPpm,
      long ratePpm,
      long oraclePrice,
      long indexDelta)
      implements SequencerEvent {}

  /**
   * State-change record of a funding market's first premium sample (risk engine with a funding
   * configuration, on a {@code Tick}): it starts the market's first sampling period and sets the
   * market's funding timestamp, from which the Δt of its first derived tick counts.
   *
   * @param market the market
   * @param timestamp the period's start (the core's time), seconds: the market's funding timestamp
   */
  record FundingPeriodStarted(int market, long timestamp) implements SequencerEvent {}

  /**
   * State-change record of an oracle price (risk engine), before any liquidation it causes.
   *
   * @param market the market
   * @param oraclePrice the price, 32.32
   * @param timestamp its timestamp (for a signed batch: the oldest report's)
   * @param now the core's journaled time when the command was applied (the last {@code Tick}'s
   *     time), against which a signed batch's staleness and future bounds were checked: the oracle
   *     tick step's {@code now} (docs/perp-circuit.md §10)
   */
  record PriceTickApplied(int market, long oraclePrice, long timestamp, long now)
      implements SequencerEvent {}

  /**
   * State-change record of one fill's settlement (risk engine), after the {@link Fill} event: both
   * accounts' funding settled (every position of each account: all its snapshots move to their
   * markets' indices), the fees, the collaterals, positions and fee balance after.
   *
   * @param market the market
   * @param takerAccount the taker
   * @param makerAccount the maker
   * @param size the taker's signed position change
   * @param price the fill price
   * @param takerFee the taker's fee (0 for a liquidation order, which pays a liquidation fee)
   * @param makerFee the maker's fee (negative = rebate)
   * @param takerFundingSettled funding settled into the taker's collateral first
   * @param makerFundingSettled funding settled into the maker's collateral first
   * @param takerCollateralAfter the taker's collateral after (before a liquidation fee)
   * @param makerCollateralAfter the maker's collateral after
   * @param feeBalanceAfter the fee balance after
   * @param takerPositionAfter the taker's signed position in the market after
   * @param makerPositionAfter the maker's signed position in the market after
   * @param fundingIndex the market's funding index: both positions' funding snapshot after
   */
  record TradeSettled(
      int market,
      int takerAccount,
      int makerAccount,
      long size,
      long price,
      long takerFee,
      long makerFee,
      long takerFundingSettled,
      long makerFundingSettled,
      long takerCollateralAfter,
      long makerCollateralAfter,
      long feeBalanceAfter,
      long takerPositionAfter,
      long makerPositionAfter,
      long fundingIndex)
      implements SequencerEvent {}

  /**
   * The risk engine found an account below maintenance margin (equity &lt; Σ MMR) and starts a
   * liquidation step: its open orders are cancelled next (OrderClosed with reason LIQUIDATION),
   * then one position is reduced.
   *
   * @param account the account
   * @param equity its equity at the oracle prices, funding settled (collateral quanta)
   * @param maintenanceRequirement its Σ maintenance margin requirements
   * @param initialRequirement its Σ initial margin requirements
   */
  record LiquidationTriggered(
      int account, long equity, long maintenanceRequirement, long initialRequirement)
      implements SequencerEvent {}

  /**
   * One fill of a liquidation order (an IOC for the liquidated account against a resting order).
   * The {@link Fill} event of the same trade (taker nonce 0: no signed order) and its {@link
   * TradeSettled} precede it. What the circuit checks: the account was liquidatable at the oracle
   * prices, the size only shrinks the position, the price is no worse for the account than {@code
   * limitPrice}, and the fee is {@code min(ceil(price · |size| · feePpm / 10^6), max(0, equity
   * after the fill))}.
   *
   * @param account the liquidated account
   * @param counterparty the maker's account
   * @param market the market
   * @param size the signed change of the liquidated account's position
   * @param price the fill price
   * @param limitPrice the liquidation order's limit price (between oracle and bankruptcy price)
   * @param bankruptcyPrice the bankruptcy price of the step
   * @param liquidationFee the fee paid to the insurance fund
   * @param oraclePrice the market's oracle price, 32.32 fixed point
   * @param collateralBefore the account's collateral before the fill (funding settled)
   * @param collateralAfter its collateral after the fill and the fee
   * @param counterpartyCollateralAfter the maker's collateral after the fill and its fee
   * @param insuranceFundAfter the insurance fund's collateral after the fee
   * @param positionAfter the liquidated account's signed position in the market after the fill
   * @param counterpartyPositionAfter the maker's signed position in the market after the fill
   */
  record Liquidated(
      int account,
      int counterparty,
      int market,
      long size,
      long price,
      long limitPrice,
      long bankruptcyPrice,
      long liquidationFee,
      long oraclePrice,
      long collateralBefore,
      long collateralAfter,
      long counterpartyCollateralAfter,
      long insuranceFundAfter,
      long positionAfter,
      long counterpartyPositionAfter)
      implements SequencerEvent {}

  /**
   * The insurance fund took over (part of) a position at the bankruptcy price, because the book
   * could not absorb the liquidation order or the account's equity was negative.
   *
   * @param account the liquidated account
   * @param market the market
   * @param size the signed change of the account's position (the fund's changes by −size)
   * @param price the bankruptcy price
   * @param oraclePrice the oracle price, 32.32
   * @param collateralBefore the account's collateral before
   * @param collateralAfter the account's collateral after
   * @param fundCollateralBefore the fund's collateral before
   * @param fundCollateralAfter the fund's collateral after
   * @param positionAfter the account's signed position in the market after
   * @param fundPositionAfter the fund's signed position in the market after
   * @param fundingIndex the market's funding index: both positions' funding snapshot after
   */
  record InsuranceTakeover(
      int account,
      int market,
      long size,
      long price,
      long oraclePrice,
      long collateralBefore,
      long collateralAfter,
      long fundCollateralBefore,
      long fundCollateralAfter,
      long positionAfter,
      long fundPositionAfter,
      long fundingIndex)
      implements SequencerEvent {}

  /**
   * Auto-deleveraging: the bankrupt account's position was closed against an opposite position at
   * the bankruptcy price, because the insurance fund could not cover the loss.
   *
   * @param account the bankrupt account
   * @param counterparty the deleveraged account (ranked by profit and leverage)
   * @param market the market
   * @param size the signed change of the bankrupt account's position (the counterparty's changes by
   *     −size: it only shrinks)
   * @param price the bankruptcy price
   * @param oraclePrice the oracle price, 32.32
   * @param collateralBefore the bankrupt account's collateral before
   * @param collateralAfter its collateral after
   * @param counterpartyCollateralBefore the counterparty's collateral before (funding settled)
   * @param counterpartyCollateralAfter the counterparty's collateral after
   * @param positionAfter the bankrupt account's signed position in the market after
   * @param counterpartyPositionAfter the counterparty's signed position in the market after
   * @param fundingIndex the market's funding index: both positions' funding snapshot after
   */
  record Deleveraged(
      int account,
      int counterparty,
      int market,
      long size,
      long price,
      long oraclePrice,
      long collateralBefore,
      long collateralAfter,
      long counterpartyCollateralBefore,
      long counterpartyCollateralAfter,
      long positionAfter,
      long counterpartyPositionAfter,
      long fundingIndex)
      implements SequencerEvent {}

  /**
   * State-change record of a forced trade served from the L1 priority queue (risk engine,
   * docs/perp-circuit.md §12): its outcome and, when executed, both accounts after the trade as a
   * fill with no fee (funding settled first). An invalid request changes nothing but the consumed
   * priority operation: its exchange fields are 0.
   *
   * @param priorityIndex the request's L1 priority-queue index
   * @param request the request's fields
   * @param reason {@link ForcedTradeReason#EXECUTED} or why it is invalid
   * @param price the trade's price for the cost basis ({@code amount / size}, truncated; 0 unless
   *     executed)
   * @param oraclePrice the market's oracle price (0 unless executed)
   * @param fundingIndex the market's funding index: both positions' snapshot after (0 unless
   *     executed)
   * @param collateralBeforeA A's collateral before, funding settled
   * @param collateralAfterA A's collateral after (it fell by the amount if A bought)
   * @param positionAfterA A's signed position in the market after
   * @param collateralBeforeB B's collateral before, funding settled
   * @param collateralAfterB B's collateral after
   * @param positionAfterB B's signed position in the market after
   */
  record ForcedTradeServed(
      long priorityIndex,
      ForcedTradeRequest request,
      ForcedTradeReason reason,
      long price,
      long oraclePrice,
      long fundingIndex,
      long collateralBeforeA,
      long collateralAfterA,
      long positionAfterA,
      long collateralBeforeB,
      long collateralAfterB,
      long positionAfterB)
      implements SequencerEvent {}
}
