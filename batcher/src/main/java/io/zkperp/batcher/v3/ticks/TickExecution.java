package io.zkperp.batcher.v3.ticks;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.v2.MarketUpdateV2;
import io.zkperp.state.v2.StateBatchV2;
import java.util.List;
import java.util.Objects;

/**
 * Executes the tick steps on a layout-v2 state batch exactly as the Go references do ({@code
 * tickstep.ApplyOracleTick}, {@code ApplyFundingTick}, {@code ApplyFundingPeriodStart}): an oracle
 * tick verifies its reports (EdDsa signatures over the format 2 {@code OraclePriceMessage} in the
 * deployment's domain, by the signer slots and the quorum of the global leaf) against the market's
 * bounds from its risk record and writes the lower median and the oldest timestamp; a funding tick
 * checks Δindex against the rate bound and the interval and writes the new index and {@code
 * fundingTimestamp = now}; a period start writes {@code fundingTimestamp = now}. The market leaf is
 * updated in witness mode and returned as a {@link TickWitness} with the step's public data, the
 * tick's reports, this deployment and the tick's batch time T (for the format v3 witness).
 *
 * <p>A refused step throws {@link TickRefusedException} with typed reasons (the Go rules in the Go
 * order) and leaves the batch unchanged: every check runs before the one write.
 *
 * <p>Immutable; any thread may create it, and the {@code execute…} methods run on the thread that
 * owns the batch (the store's writer thread).
 */
public final class TickExecution {
  private final MessageDomain domain;

  /**
   * An executor for reports signed for one deployment.
   *
   * @param domain the deployment (chain id, rollup address) the report signatures must name
   */
  public TickExecution(MessageDomain domain) {
    this.domain = Objects.requireNonNull(domain, "domain");
  }

  /**
   * Executes an oracle tick on the batch in witness mode. Writer thread of the batch's store.
   *
   * @param batch the open batch
   * @param tick the tick
   * @return the openings, with the public data {@code 0x08 ‖ market ‖ price ‖ timestamp ‖ now}
   * @throws TickRefusedException the tick breaks a rule or does not fit (the batch is unchanged)
   * @throws StateStoreException BATCH_CLOSED, or a storage failure
   */
  public TickWitness executeOracle(StateBatchV2 batch, OracleTick tick)
      throws TickRefusedException {
    return oracle(batch, tick, false, 0, 0);
  }

  /**
   * Executes an oracle tick whose outcome the engine recorded ({@code PriceTickApplied}) and checks
   * that the record's price is the lower median of the reports (NOT_MEDIAN) and its timestamp the
   * oldest report's (NOT_OLDEST), after the tick's own rules. Writer thread of the batch's store.
   *
   * @param batch the open batch
   * @param tick the tick
   * @param price the record's price
   * @param timestamp the record's timestamp
   * @return the openings
   * @throws TickRefusedException a rule is broken or the record is not the rules' outcome (the
   *     batch is unchanged)
   * @throws StateStoreException BATCH_CLOSED, or a storage failure
   */
  public TickWitness executeOracle(StateBatchV2 batch, OracleTick tick, long price, long timestamp)
      throws TickRefusedException {
    return oracle(batch, tick, true, price, timestamp);
  }

  private TickWitness oracle(
      StateBatchV2 batch, OracleTick tick, boolean claimed, long price, long timestamp)
      throws TickRefusedException {
    Objects.requireNonNull(tick, "tick");
    MarketV2 m = listed(batch, tick.market());
    GlobalV2 g = batch.global();
    OracleTickRules.Outcome out = OracleTickRules.apply(domain, tick, m, g);
    TickRuleList broken = new TickRuleList();
    out.broken().forEach(broken::add);
    if (claimed && price != out.price()) {
      broken.add(TickRefusalReason.NOT_MEDIAN);
    }
    if (claimed && timestamp != out.timestamp()) {
      broken.add(TickRefusalReason.NOT_OLDEST);
    }
    TickRuleList.refuseIfAny(broken.list(), "the oracle tick");
    return write(
        batch,
        g,
        m,
        new OracleTickStep(tick.market(), out.price(), out.timestamp(), tick.now()),
        tick.reports(),
        tick.batchTime());
  }

  /**
   * Executes a funding tick on the batch in witness mode. Writer thread of the batch's store.
   *
   * @param batch the open batch
   * @param tick the tick
   * @return the openings, with the public data {@code 0x09 ‖ market ‖ indexAfter ‖ now}
   * @throws TickRefusedException the tick breaks a rule or does not fit (the batch is unchanged)
   * @throws StateStoreException BATCH_CLOSED, or a storage failure
   */
  public TickWitness executeFunding(StateBatchV2 batch, FundingTick tick)
      throws TickRefusedException {
    Objects.requireNonNull(tick, "tick");
    MarketV2 m = listed(batch, tick.market());
    TickRuleList.refuseIfAny(FundingTickRules.fundingTick(tick, m), "the funding tick");
    long index = m.fundingIndex() + tick.indexDelta(); // no overflow: INDEX_OVERFLOW refused it
    return write(
        batch,
        batch.global(),
        m,
        new FundingTickStep(tick.market(), index, tick.now()),
        List.of(),
        tick.batchTime());
  }

  /**
   * Executes a funding period start on the batch in witness mode. Writer thread of the batch's
   * store.
   *
   * @param batch the open batch
   * @param start the period start
   * @return the openings, with the public data {@code 0x0A ‖ market ‖ now}
   * @throws TickRefusedException a rule is broken or a value does not fit (the batch is unchanged)
   * @throws StateStoreException BATCH_CLOSED, or a storage failure
   */
  public TickWitness executePeriodStart(StateBatchV2 batch, FundingPeriodStart start)
      throws TickRefusedException {
    Objects.requireNonNull(start, "start");
    MarketV2 m = listed(batch, start.market());
    TickRuleList.refuseIfAny(FundingTickRules.periodStart(start, m), "the funding period start");
    return write(
        batch,
        batch.global(),
        m,
        new FundingPeriodStartStep(start.market(), start.now()),
        List.of(),
        start.batchTime());
  }

  private TickWitness write(
      StateBatchV2 batch,
      GlobalV2 g,
      MarketV2 m,
      TickStep step,
      List<SignedPriceReport> reports,
      long batchTime) {
    MarketUpdateV2 u = batch.updateMarket(step.market(), step.applyTo(m));
    return new TickWitness(step, g, u, reports, domain, batchTime);
  }

  private static MarketV2 listed(StateBatchV2 batch, int id) throws TickRefusedException {
    Objects.requireNonNull(batch, "batch");
    MarketV2 m = id < 0 || id >= 1 << LayoutV2.MARKETS_DEPTH ? null : batch.market(id);
    if (m == null) {
      throw TickRuleList.refused(
          TickRefusalReason.UNKNOWN_MARKET, "market " + id + " is not listed");
    }
    return m;
  }
}
