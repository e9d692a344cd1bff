package io.zkperp.node;

/**
 * Where a batch stands, in order: {@link #SEALED} → {@link #PROVING} → {@link #PROVEN} → {@link
 * #COMMITTED} → {@link #FINAL}; {@link #FAILED} is a permanent proving failure (the settlement
 * pauses). Any thread.
 */
public enum BatchStatus {
  /** Executed on the state tree and sealed; its witness is stored. */
  SEALED,
  /** Handed to the prover as a proof job. */
  PROVING,
  /** Proof stored; waiting for its turn on L1. */
  PROVEN,
  /** Accepted by the rollup contract on L1 (transaction hash and block stored). */
  COMMITTED,
  /** Its L1 block has the configured number of confirmations. */
  FINAL,
  /** The prover refused the witness permanently (a settlement bug); nothing after it settles. */
  FAILED
}
