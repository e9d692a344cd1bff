package io.zkperp.gateway.bridge.history;

/**
 * Why an account's collateral changed, one kind per part of a state-change record (a record that
 * settles funding first and then changes the collateral gives a {@link #FUNDING} entry per
 * position, then its own). Its {@link #name} is the {@code kind} in the JSON-RPC answers; the
 * ordinal is stored, so new kinds go at the end. Immutable; any thread.
 */
public enum CollateralKind {
  /** {@code Deposited} of an operator {@code DepositCollateral}. */
  DEPOSIT,
  /** {@code Deposited} of a {@code CreditL1Deposit} (a deposit made on L1). */
  L1_DEPOSIT,
  /** {@code Withdrawn} of a withdrawal command. */
  WITHDRAWAL,
  /** {@code Withdrawn} of a {@code ServeL1ForcedWithdrawal} (requested on L1). */
  FORCED_WITHDRAWAL,
  /** {@code Transferred}, to this account. */
  TRANSFER_IN,
  /** {@code Transferred}, from this account. */
  TRANSFER_OUT,
  /** {@code InsuranceFundToppedUp} (the insurance fund only). */
  INSURANCE_TOP_UP,
  /** Funding settled into the collateral for one position (see {@link FundingPayment}). */
  FUNDING,
  /** {@code TradeSettled}: the trade's cash flow, −(signed size × price), fees apart. */
  TRADE,
  /** {@code TradeSettled}: the trading fee (negative amount = paid, positive = rebate). */
  FEE,
  /** {@code Liquidated}: the liquidation fee (paid by the account, received by the fund). */
  LIQUIDATION_FEE,
  /** {@code InsuranceTakeover}: the position taken over at the bankruptcy price. */
  INSURANCE_TAKEOVER,
  /** {@code Deleveraged}: a position closed against a counterparty at the bankruptcy price. */
  DELEVERAGING,
  /** {@code ForcedTradeServed}, executed: a forced trade's amount (requested on L1, no fee). */
  FORCED_TRADE
}
