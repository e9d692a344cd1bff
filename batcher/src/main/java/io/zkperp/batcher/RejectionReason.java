package io.zkperp.batcher;

/** Why the batcher refused a transaction. Immutable; any thread. */
public enum RejectionReason {
  /** An account id outside 0 … 2^24 − 1. */
  ACCOUNT_OUT_OF_RANGE,
  /** The account (or the transfer's receiver) does not exist. */
  UNKNOWN_ACCOUNT,
  /** A deposit into an existing account with another owner or key. */
  BINDING_MISMATCH,
  /** A negative amount. */
  NEGATIVE_AMOUNT,
  /** The nonce is not the account's next nonce. */
  BAD_NONCE,
  /** The account's nonce is exhausted (2^64 − 1). */
  NONCE_EXHAUSTED,
  /** The signature does not decode or does not verify. */
  BAD_SIGNATURE,
  /** The account's collateral is below the amount. */
  INSUFFICIENT_COLLATERAL,
  /** A credit would take collateral above 2^63 − 1. */
  COLLATERAL_OVERFLOW,
  /** The batch already holds its maximum number of transactions. */
  BATCH_FULL
}
