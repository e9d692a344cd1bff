package io.zkperp.sequencer;

/**
 * What happens when a taker would match a resting order of the same account. Immutable; any thread.
 */
public enum SelfTradePrevention {
  /** The default: the resting (maker) order is cancelled and matching continues. */
  EXPIRE_MAKER,
  /** The taker's unfilled rest is cancelled; the maker stays. */
  EXPIRE_TAKER,
  /** Both the maker and the taker's unfilled rest are cancelled. */
  EXPIRE_BOTH
}
