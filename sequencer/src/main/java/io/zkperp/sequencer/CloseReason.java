package io.zkperp.sequencer;

/** Why an accepted order left the book (or its conditional list). Immutable; any thread. */
public enum CloseReason {
  /** Completely filled. */
  FILLED,
  /** Cancelled by its owner (Cancel or CancelAll). */
  CANCELLED,
  /** Cancelled as the first half of an atomic cancel-replace. */
  REPLACED,
  /** Its good-til time was reached (a Tick command): a guaranteed cancel. */
  EXPIRED,
  /** The unfilled rest of an IOC, FOK or market order. */
  IMMEDIATE_REMAINDER,
  /** Self-trade prevention cancelled it. */
  SELF_TRADE,
  /** A newer order (higher nonce) took over its nonce slot. */
  NONCE_SLOT_TAKEN_OVER,
  /**
   * A triggered conditional order that could not run: reduce-only with no position left to reduce,
   * a post-only that would cross, a FOK that could not fill, or an order that fails the risk
   * pre-check at the price that triggered it.
   */
  TRIGGER_NOT_EXECUTABLE,
  /**
   * Cancelled because its account fell below maintenance margin and is being liquidated (the risk
   * engine cancels every open order of the account first).
   */
  LIQUIDATION,
  /**
   * The post-trade check refused to fill this resting order: the fill would have left its account
   * below initial margin without reducing its exposure (as the pre-trade check would refuse it at
   * the fill price), so the order was cancelled instead and matching went on.
   */
  POST_TRADE_CHECK_FAILED
}
