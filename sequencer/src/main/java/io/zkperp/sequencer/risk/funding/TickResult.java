package io.zkperp.sequencer.risk.funding;

/**
 * The outcome of {@link PremiumSampler#tick}: a funding tick to apply, a tick that is not due yet,
 * or a {@link FundingError}. Immutable; any thread.
 */
public sealed interface TickResult permits TickResult.Due, TickResult.NotDue, FundingError {
  /**
   * A tick to apply; the sampler has started its next period.
   *
   * @param tick the tick
   */
  record Due(FundingTickProposal tick) implements TickResult {}

  /**
   * The period is not over.
   *
   * @param market the market
   * @param nextTickAt the first time at which the tick is due
   */
  record NotDue(int market, long nextTickAt) implements TickResult {}
}
