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
   * The post-trade check refused a fill of this order: the fill would have left its account below
   * initial margin without reducing its exposure (as the pre-trade check would refuse it at the
   * fill price and size). A resting (maker) order is cancelled instead of filled and matching goes
   * on with the next maker; an incoming (taker) order stops matching before that fill, its earlier
   * fills stand and its remainder is cancelled (it never rests).
   */
  POST_TRADE_CHECK_FAILED
}
