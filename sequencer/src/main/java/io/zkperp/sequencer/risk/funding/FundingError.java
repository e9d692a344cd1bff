package io.zkperp.sequencer.risk.funding;

/**
 * A refused sample, tick or tick check: the typed reason and a message saying what was wrong and
 * what would be accepted. Nothing changed. Immutable; any thread.
 *
 * @param reason the reason
 * @param message the explanation
 */
public record FundingError(FundingRejection reason, String message)
    implements SampleResult, TickResult {
  static FundingError of(FundingRejection reason, String format, Object... args) {
    return new FundingError(reason, String.format(format, args));
  }
}
