package io.zkperp.node.v3;

import io.zkperp.batcher.v3.ticks.FundingPeriodStart;
import io.zkperp.batcher.v3.ticks.FundingTick;
import io.zkperp.batcher.v3.ticks.OracleTick;
import io.zkperp.batcher.v3.ticks.SignedPriceReport;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Price and funding records as tick steps (docs/perp-circuit.md §10, "Engine side"): {@code
 * PriceTickApplied} of a {@link SignedOraclePrices} → an oracle tick with the journaled reports
 * (signer index = the signer's slot in the tree) and the record's {@code now}; {@code
 * FundingTickApplied} → a funding tick of its Δindex at its timestamp; {@code FundingPeriodStarted}
 * → a period start at its timestamp. Each carries the batch time T the settler proves it under. A
 * price of an unsigned {@code OraclePrice} has no signatures: unprovable. Stateless; the
 * translator's thread.
 */
final class TickSteps {
  private TickSteps() {}

  /**
   * The oracle tick of a price record.
   *
   * @param command the command that produced it
   * @param p the record
   * @param batchTime T
   * @return the step
   * @throws UnprovableRecordException the price is not from a signed batch of its market
   */
  static V3Step.Oracle oracle(Command command, SequencerEvent.PriceTickApplied p, long batchTime)
      throws UnprovableRecordException {
    if (!(command instanceof SignedOraclePrices s) || s.market() != p.market()) {
      throw new UnprovableRecordException(
          "PriceTickApplied",
          "a price of "
              + command.getClass().getSimpleName()
              + " (market "
              + p.market()
              + "): only a quorum-signed SignedOraclePrices is an oracle tick step");
    }
    List<SignedPriceReport> reports = new ArrayList<>(s.reports().size());
    for (PriceReport r : s.reports()) {
      reports.add(
          new SignedPriceReport(r.signer(), r.market(), r.price(), r.timestamp(), r.signature()));
    }
    return new V3Step.Oracle(new OracleTick(p.market(), p.now(), batchTime, reports), p);
  }

  /**
   * The funding tick of a funding record.
   *
   * @param f the record
   * @param batchTime T
   * @return the step
   */
  static V3Step.Funding funding(SequencerEvent.FundingTickApplied f, long batchTime) {
    return new V3Step.Funding(
        new FundingTick(f.market(), f.timestamp(), batchTime, f.indexDelta()), f);
  }

  /**
   * The period start of a period record.
   *
   * @param s the record
   * @param batchTime T
   * @return the step
   */
  static V3Step.PeriodStart periodStart(SequencerEvent.FundingPeriodStarted s, long batchTime) {
    return new V3Step.PeriodStart(new FundingPeriodStart(s.market(), s.timestamp(), batchTime), s);
  }
}
