package io.zkperp.node.v3;

import io.zkperp.batcher.v3.liquidation.LiquidationExecution;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.state.v2.StateBatchV2;

/**
 * Compares the tree, right after a step, with the "after" fields of the engine's record the step
 * stands for: collaterals, the positions in the record's market and their funding snapshots, the
 * fee balance, a forced withdrawal's payment, a market's oracle price and timestamp, funding index
 * and timestamp; for a liquidation fill, takeover or deleveraging both accounts' (the maker's, the
 * fund's, the deleverager's) collateral and position after, the insurance fund's collateral after a
 * fill and the snapshots at the record's funding index. Stateless; the store's writer thread.
 */
final class RecordCheck {
  private final StateBatchV2 batch;
  private final long seq;
  private final int step;
  private final String record;

  private RecordCheck(StateBatchV2 batch, long seq, int step, String record) {
    this.batch = batch;
    this.seq = seq;
    this.step = step;
    this.record = record;
  }

  /**
   * The first field where the tree differs from the step's record.
   *
   * @param batch the batch the step was executed on
   * @param seq the command's journal sequence
   * @param step the step's index
   * @param s the step
   * @param paid what a collateral step debited (its witness's {@code paid})
   * @return the disagreement, or null when every field agrees
   */
  static Disagreement check(StateBatchV2 batch, long seq, int step, V3Step s, long paid) {
    String name =
        s.record() == null ? "ServeL1ForcedWithdrawal" : s.record().getClass().getSimpleName();
    return new RecordCheck(batch, seq, step, name).check(s, paid);
  }

  private Disagreement check(V3Step s, long paid) {
    return switch (s) {
      case V3Step.Trade t -> trade(t.record());
      case V3Step.Collateral c -> collateral(c.record(), paid);
      case V3Step.Oracle o -> {
        MarketV2 m = batch.market(o.record().market());
        yield first(
            diff("oraclePrice", o.record().oraclePrice(), m.oraclePrice()),
            diff("timestamp", o.record().timestamp(), m.oracleTimestamp()));
      }
      case V3Step.Funding f -> {
        MarketV2 m = batch.market(f.record().market());
        yield first(
            diff("indexAfter", f.record().indexAfter(), m.fundingIndex()),
            diff("timestamp", f.record().timestamp(), m.fundingTimestamp()),
            diff("oraclePrice", f.record().oraclePrice(), m.oraclePrice()));
      }
      case V3Step.PeriodStart p ->
          diff(
              "timestamp",
              p.record().timestamp(),
              batch.market(p.record().market()).fundingTimestamp());
      case V3Step.Liquidation l -> liquidation(l);
    };
  }

  /** A liquidation fill's, takeover's or deleveraging's accounts, positions and snapshots. */
  private Disagreement liquidation(V3Step.Liquidation l) {
    long fund = LiquidationExecution.FUND_ACCOUNT;
    return switch (l.record()) {
      case SequencerEvent.Liquidated r -> {
        SequencerEvent.TradeSettled t = l.trade();
        AccountV2 a = batch.account(r.account());
        AccountV2 m = batch.account(r.counterparty());
        yield first(
            diff("collateralAfter", r.collateralAfter(), a.collateral()),
            diff("counterpartyCollateralAfter", r.counterpartyCollateralAfter(), m.collateral()),
            diff("insuranceFundAfter", r.insuranceFundAfter(), batch.account(fund).collateral()),
            diff("positionAfter", r.positionAfter(), size(a, r.market())),
            diff("counterpartyPositionAfter", r.counterpartyPositionAfter(), size(m, r.market())),
            snapshot("fundingIndex (account's snapshot)", r.market(), t.fundingIndex(), a),
            snapshot("fundingIndex (counterparty's snapshot)", r.market(), t.fundingIndex(), m),
            diff("feeBalanceAfter", t.feeBalanceAfter(), batch.global().feeBalance()));
      }
      case SequencerEvent.InsuranceTakeover r -> {
        AccountV2 a = batch.account(r.account());
        AccountV2 f = batch.account(fund);
        yield first(
            diff("collateralAfter", r.collateralAfter(), a.collateral()),
            diff("fundCollateralAfter", r.fundCollateralAfter(), f.collateral()),
            diff("positionAfter", r.positionAfter(), size(a, r.market())),
            diff("fundPositionAfter", r.fundPositionAfter(), size(f, r.market())),
            snapshot("fundingIndex (account's snapshot)", r.market(), r.fundingIndex(), a),
            snapshot("fundingIndex (fund's snapshot)", r.market(), r.fundingIndex(), f),
            diff("fundingIndex", r.fundingIndex(), batch.market(r.market()).fundingIndex()));
      }
      case SequencerEvent.Deleveraged r -> {
        AccountV2 a = batch.account(r.account());
        AccountV2 c = batch.account(r.counterparty());
        yield first(
            diff("collateralAfter", r.collateralAfter(), a.collateral()),
            diff("counterpartyCollateralAfter", r.counterpartyCollateralAfter(), c.collateral()),
            diff("positionAfter", r.positionAfter(), size(a, r.market())),
            diff("counterpartyPositionAfter", r.counterpartyPositionAfter(), size(c, r.market())),
            snapshot("fundingIndex (account's snapshot)", r.market(), r.fundingIndex(), a),
            snapshot("fundingIndex (counterparty's snapshot)", r.market(), r.fundingIndex(), c),
            diff("fundingIndex", r.fundingIndex(), batch.market(r.market()).fundingIndex()));
      }
      default -> throw new IllegalArgumentException("not a liquidation record: " + l.record());
    };
  }

  private Disagreement snapshot(String field, int market, long index, AccountV2 a) {
    int i = a.positions().find(market);
    return i < 0 ? null : diff(field, index, a.positions().entries().get(i).fundingSnapshot());
  }

  private Disagreement trade(SequencerEvent.TradeSettled r) {
    AccountV2 taker = batch.account(r.takerAccount());
    AccountV2 maker = batch.account(r.makerAccount());
    return first(
        diff("takerCollateralAfter", r.takerCollateralAfter(), taker.collateral()),
        diff("makerCollateralAfter", r.makerCollateralAfter(), maker.collateral()),
        diff("takerPositionAfter", r.takerPositionAfter(), size(taker, r.market())),
        diff("makerPositionAfter", r.makerPositionAfter(), size(maker, r.market())),
        snapshot("fundingIndex (taker's snapshot)", r, taker),
        snapshot("fundingIndex (maker's snapshot)", r, maker),
        diff("fundingIndex", r.fundingIndex(), batch.market(r.market()).fundingIndex()),
        diff("feeBalanceAfter", r.feeBalanceAfter(), batch.global().feeBalance()));
  }

  private Disagreement collateral(SequencerEvent r, long paid) {
    return switch (r) {
      case null -> diff("paid", 0, paid);
      case SequencerEvent.Deposited d ->
          diff("collateralAfter", d.collateralAfter(), batch.account(d.account()).collateral());
      case SequencerEvent.Withdrawn w ->
          first(
              diff("amount", w.amount(), paid),
              diff(
                  "collateralAfter", w.collateralAfter(), batch.account(w.account()).collateral()));
      case SequencerEvent.Transferred t ->
          first(
              diff(
                  "fromCollateralAfter",
                  t.fromCollateralAfter(),
                  batch.account(t.from()).collateral()),
              diff("toCollateralAfter", t.toCollateralAfter(), batch.account(t.to()).collateral()));
      default -> throw new IllegalArgumentException("not a collateral record: " + r);
    };
  }

  private Disagreement snapshot(String field, SequencerEvent.TradeSettled r, AccountV2 a) {
    int i = a.positions().find(r.market());
    if (i < 0) {
      return null;
    }
    return diff(field, r.fundingIndex(), a.positions().entries().get(i).fundingSnapshot());
  }

  private static long size(AccountV2 a, int market) {
    int i = a.positions().find(market);
    return i < 0 ? 0 : a.positions().entries().get(i).size();
  }

  private Disagreement diff(String field, long engine, long tree) {
    return engine == tree ? null : new Disagreement(seq, step, record, field, engine, tree);
  }

  private static Disagreement first(Disagreement... ds) {
    for (Disagreement d : ds) {
      if (d != null) {
        return d;
      }
    }
    return null;
  }
}
