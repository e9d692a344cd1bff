package io.zkperp.batcher.v3;

/**
 * Why a collateral transaction (deposit, withdrawal, transfer, forced withdrawal) was refused: one
 * value per rule of the Go reference ({@code collateralstep.Rule}, named by {@link #ruleName}) and
 * one for its other refusal ({@code collateralstep.ErrOutOfRange}). Immutable; any thread.
 */
public enum CollateralRefusalReason {
  /**
   * Rule "signature": the signature does not verify under the account's key over the message in the
   * deployment's domain (a field changed after signing, another chain id or rollup, another key).
   */
  SIGNATURE("signature"),
  /** Rule "nonce": the message's nonce is not the account's, or the nonce is exhausted. */
  NONCE("nonce"),
  /** Rule "l1 owner": the owner named is not the account's bound owner. */
  L1_OWNER("l1 owner"),
  /**
   * Rule "free collateral": a debit above the account's free collateral (equity − Σ initial
   * requirements at the oracle prices, funding settled).
   */
  FREE_COLLATERAL("free collateral"),
  /** Rule "binding": a deposit into an account bound to another owner or key. */
  BINDING("binding"),
  /**
   * Rule "insurance fund": the fund (account 2^24 − 1) signs, receives a deposit or a transfer, or
   * is the subject of a forced withdrawal.
   */
  INSURANCE_FUND("insurance fund"),
  /** Rule "no account": the account, or a transfer's receiver, does not exist. */
  NO_ACCOUNT("no account"),
  /** Rule "self transfer": a transfer to the sender itself. */
  SELF_TRANSFER("self transfer"),
  /**
   * Rule "range": an amount above 2^63 − 1, or a collateral or margin figure leaving the int64
   * range.
   */
  RANGE("range"),
  /** Rule "zero amount": a withdrawal or transfer of 0. */
  ZERO_AMOUNT("zero amount"),
  /** An account id of 2^24 or more: no leaf of the accounts tree. */
  ACCOUNT_OUT_OF_RANGE(null);

  private final String ruleName;

  CollateralRefusalReason(String ruleName) {
    this.ruleName = ruleName;
  }

  /**
   * The rule's name in the Go reference.
   *
   * @return the name, or null for the refusal that is not a rule break
   */
  public String ruleName() {
    return ruleName;
  }
}
