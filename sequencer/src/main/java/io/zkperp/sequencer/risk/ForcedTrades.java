package io.zkperp.sequencer.risk;

import io.zkperp.protocol.message.ForcedTradeReason;

/**
 * Serves forced trades for the risk engine: decides each with the {@link ForcedTradeDecision},
 * trades an executed one, and records every outcome as a {@link
 * io.zkperp.sequencer.core.SequencerEvent.ForcedTradeServed} (an invalid one with its exchange
 * fields 0). Core thread.
 */
final class ForcedTrades {
  private final ForcedTradeDecision decision;
  private final RecordSink records;

  ForcedTrades(RiskParts parts, MarginChecks margins, Settlement settlement) {
    this.decision = new ForcedTradeDecision(parts, margins, settlement);
    this.records = parts.records();
  }

  /** See {@link io.zkperp.sequencer.core.RiskHook#forcedTrade}; needs the core attached. */
  ForcedTradeReason serve(
      long priorityIndex, ForcedTradeRequest r, long slotNonce, boolean signatureValid) {
    ForcedTradeOutcome outcome = decision.apply(r, slotNonce, signatureValid, records.core());
    records.emit(
        StateRecords.forcedTradeServed(priorityIndex, r, outcome.reason(), outcome.exchange()));
    return outcome.reason();
  }
}
