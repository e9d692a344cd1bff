package io.zkperp.sequencer;

/** How long an order may live. Immutable; any thread. */
public enum TimeInForce {
  /** Good till cancelled (or till its good-til time): the unfilled rest rests on the book. */
  GTC,
  /** Immediate or cancel: fills what it can now, the rest is cancelled. */
  IOC,
  /** Fill or kill: fills completely now, or is rejected without any fill. */
  FOK,
  /** Post only: rests without taking; rejected if it would cross the book. */
  POST_ONLY
}
