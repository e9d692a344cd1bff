package io.zkperp.sequencer.core;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.risk.oracle.OracleResult;

/**
 * The core's price commands: operator and signed oracle prices and funding ticks. A new price fires
 * the triggered conditional orders, then the risk hook's liquidation; a funding tick, the
 * liquidation. Core thread.
 */
final class CorePrices extends CorePart {
  CorePrices(SequencerCore core) {
    super(core);
  }

  boolean fundingTick(FundingTick f) {
    if (core.market(f.market()) == null) {
      return core.reject(RejectReason.UNKNOWN_MARKET, core.unknownMarket(f.market()));
    }
    if (!core.passes(core.risk.fundingTick(f.market(), f.indexDelta(), f.timestamp()))) {
      return false;
    }
    core.risk.liquidate(f.market(), core.liquidations);
    return true;
  }

  boolean oraclePrice(OraclePrice op) {
    MarketState m = core.market(op.market());
    if (m == null) {
      return core.reject(RejectReason.UNKNOWN_MARKET, core.unknownMarket(op.market()));
    }
    if (op.price() <= 0) {
      return core.reject(
          RejectReason.INVALID_ORACLE_PRICE, "oracle price " + op.price() + " must be > 0");
    }
    if (op.timestamp() < m.oracleTimestamp) {
      return core.reject(
          RejectReason.INVALID_ORACLE_PRICE,
          "oracle timestamp "
              + op.timestamp()
              + " is before the market's last one "
              + m.oracleTimestamp
              + "; use ≥ "
              + m.oracleTimestamp);
    }
    if (!core.passes(core.risk.oraclePrice(op.market(), op.price(), op.timestamp(), core.time))) {
      return false;
    }
    m.oraclePrice = op.price();
    m.oracleTimestamp = op.timestamp();
    priceApplied(m);
    return true;
  }

  /**
   * A batch of signed price reports: the risk hook validates it against its oracle configuration at
   * the core's journaled time (signatures were verified at intake) and, if accepted, the median
   * (32.32) is the market's price. The core keeps {@code ⌈p / 2^32⌉} as its integer oracle price
   * (non-zero for every accepted price; shown in messages); trigger prices are compared exactly
   * against p ({@link TriggerType#triggersFixed}). Then, as for {@link OraclePrice}: triggered
   * orders, then liquidation.
   */
  boolean signedOraclePrices(SignedOraclePrices s) {
    MarketState m = core.market(s.market());
    if (m == null) {
      return core.reject(RejectReason.UNKNOWN_MARKET, core.unknownMarket(s.market()));
    }
    OracleResult r = core.risk.signedOraclePrices(s.market(), s.reports(), core.time);
    if (r instanceof OracleResult.Rejected rej) {
      return core.reject(OracleRejections.reason(rej), rej.reason() + ": " + rej.message());
    }
    OracleResult.Accepted a = (OracleResult.Accepted) r;
    long p = a.price();
    m.oraclePrice = (p >> 32) + ((p & 0xFFFF_FFFFL) != 0 ? 1 : 0);
    m.oracleTimestamp = a.timestamp();
    priceApplied(m);
    return true;
  }

  /** After a new oracle price: the triggered conditional orders, then liquidation. */
  private void priceApplied(MarketState m) {
    for (Order o : core.triggers.takeTriggered(m)) {
      o.parked = false;
      core.live.expiries.remove(o);
      core.listener().onOrderTriggered(o);
      if (core.triggers.executable(m, o)) {
        core.execute(m, o);
      } else {
        core.finish(o, CloseReason.TRIGGER_NOT_EXECUTABLE);
      }
    }
    core.risk.liquidate(m.id, core.liquidations);
  }
}
