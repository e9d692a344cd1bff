package io.zkperp.node.v3;

import io.zkperp.batcher.v3.CollateralTransaction;
import io.zkperp.batcher.v3.TradeTransaction;
import io.zkperp.batcher.v3.liquidation.LiquidationTransaction;
import io.zkperp.batcher.v3.ticks.FundingPeriodStart;
import io.zkperp.batcher.v3.ticks.FundingTick;
import io.zkperp.batcher.v3.ticks.OracleTick;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.Objects;

/**
 * One format v3 step built from the engine's records, with the record it must reproduce: the
 * settler executes the step and then compares the tree with the record's "after" fields.
 * Implementations are immutable; any thread.
 */
public sealed interface V3Step {
  /**
   * The engine's record the step stands for (null only for a forced withdrawal that paid nothing,
   * which the engine records with no state-change record).
   *
   * @return the record
   */
  SequencerEvent record();

  /**
   * A fill ({@code Fill} + {@code TradeSettled}) as a trade of two signed orders.
   *
   * @param tx the trade: both signed orders, price, size, each side's fee rate
   * @param record the fill's settlement record
   */
  record Trade(TradeTransaction tx, SequencerEvent.TradeSettled record) implements V3Step {
    /** Checks for null. */
    public Trade {
      Objects.requireNonNull(tx, "tx");
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * A deposit, withdrawal, transfer or forced withdrawal.
   *
   * @param tx the collateral transaction
   * @param record {@code Deposited}, {@code Withdrawn} or {@code Transferred}; null for a forced
   *     withdrawal the engine did not pay
   */
  record Collateral(CollateralTransaction tx, SequencerEvent record) implements V3Step {
    /** Checks for null. */
    public Collateral {
      Objects.requireNonNull(tx, "tx");
    }
  }

  /**
   * A quorum-signed oracle price.
   *
   * @param tick the signed reports with the tick's time and the batch time
   * @param record the engine's {@code PriceTickApplied}: its price must be the lower median
   */
  record Oracle(OracleTick tick, SequencerEvent.PriceTickApplied record) implements V3Step {
    /** Checks for null. */
    public Oracle {
      Objects.requireNonNull(tick, "tick");
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * A funding tick.
   *
   * @param tick the index change at the tick's time
   * @param record the engine's {@code FundingTickApplied}
   */
  record Funding(FundingTick tick, SequencerEvent.FundingTickApplied record) implements V3Step {
    /** Checks for null. */
    public Funding {
      Objects.requireNonNull(tick, "tick");
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * The start of a market's first funding period.
   *
   * @param start the start
   * @param record the engine's {@code FundingPeriodStarted}
   */
  record PeriodStart(FundingPeriodStart start, SequencerEvent.FundingPeriodStarted record)
      implements V3Step {
    /** Checks for null. */
    public PeriodStart {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * A liquidation fill ({@code Fill} + {@code TradeSettled} + {@code Liquidated}), an insurance
   * takeover or a deleveraging ({@link LiquidationSteps}).
   *
   * @param tx the fill (the liquidator's signed resting order, price, size, fee), takeover or
   *     deleveraging
   * @param record the engine's {@code Liquidated}, {@code InsuranceTakeover} or {@code Deleveraged}
   * @param trade the fill's {@code TradeSettled} (its fee balance and funding index after), null
   *     for a takeover or deleveraging
   */
  record Liquidation(
      LiquidationTransaction tx, SequencerEvent record, SequencerEvent.TradeSettled trade)
      implements V3Step {
    /** Checks for null. */
    public Liquidation {
      Objects.requireNonNull(tx, "tx");
      Objects.requireNonNull(record, "record");
    }
  }
}
