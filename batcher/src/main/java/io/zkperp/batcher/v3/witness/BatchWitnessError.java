package io.zkperp.batcher.v3.witness;

/** Why the format v3 batch encoder refused a batch; nothing is written then. */
public enum BatchWitnessError {
  /**
   * The shape is not one the Go prover builds, or a step does not fit it (its table, its slots).
   */
  SHAPE,
  /** More steps of a type than the shape has slots for, or more steps than slots. */
  TOO_MANY_STEPS,
  /** A signed step executed for another deployment than the batch's. */
  DOMAIN,
  /** A tick checked against another batch time than the batch's T, or T = 0 with tick slots. */
  BATCH_TIME,
  /** A step's old root is not the state root the previous step (or the batch) ends at. */
  ROOTS,
  /** A step of a type format v3 has no slot group for. */
  UNSUPPORTED_TYPE,
  /** A liquidation fill executed at another liquidation fee rate than the shape's. */
  LIQUIDATION_FEE
}
