package io.zkperp.gateway.bridge;

import io.zkperp.gateway.bridge.history.CollateralKind;
import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.ForcedTradeRequest;
import io.zkperp.sequencer.risk.LiquidationPrice;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The accounts, fills, oracle prices and funding of the {@link ReadModel}, rebuilt from the risk
 * engine's state-change records alone (the approach of the sequencer's test {@code RecordModel}):
 * collateral and positions (size, funding-index snapshot, cost basis) per account, the insurance
 * fund as account {@link RiskEngine#INSURANCE_FUND}, oracle price and funding index per market.
 * Margin figures use the risk engine's own functions ({@link RiskMath}) with the parameters of the
 * {@link RiskConfig}. Not thread-safe: the {@link ReadModel} calls it under its lock.
 */
final class AccountState {
  static final class Acct {
    long collateral;
    long sequence;
    // market -> {size, funding snapshot, cost basis}
    final TreeMap<Integer, long[]> positions = new TreeMap<>();
  }

  static final class Mkt {
    long oraclePrice;
    long oracleTimestamp;
    long fundingIndex;
    long fundingTimestamp;
    long sequence;
    // the funding tick of the command being applied (its FundingTickDerived follows it)
    ReadModel.FundingTickView lastFunding;
    final Set<Integer> holders = new TreeSet<>();
  }

  /** A fill of the command being applied, waiting for its TradeSettled (fees). */
  private static final class PendingFill {
    final SequencerEvent.Fill fill;
    final int index;
    boolean settled;
    long takerFee;
    long makerFee;

    PendingFill(SequencerEvent.Fill fill, int index) {
      this.fill = fill;
      this.index = index;
    }
  }

  /**
   * What one command changed: touched accounts, market updates, fills by account, and its funding
   * payments and collateral changes record by record.
   */
  record Changes(
      Set<Integer> accounts,
      List<ReadModel.MarketUpdate> markets,
      Map<Integer, List<ReadModel.FillView>> fills,
      LedgerEntries ledger) {}

  private final RiskConfig risk;
  private final Map<Integer, Acct> accounts = new HashMap<>();
  private final Map<Integer, Mkt> markets = new HashMap<>();

  AccountState(RiskConfig risk) {
    this.risk = risk;
  }

  RiskConfig risk() {
    return risk;
  }

  private LedgerEntries ledger = new LedgerEntries(0, 0);

  private void setCollateral(int id, long value) {
    acct(id).collateral = value;
  }

  Set<Integer> accountIds() {
    return accounts.keySet();
  }

  Set<Integer> marketIds() {
    return markets.keySet();
  }

  private Acct acct(int id) {
    return accounts.computeIfAbsent(id, k -> new Acct());
  }

  Mkt mkt(int id) {
    return markets.computeIfAbsent(id, k -> new Mkt());
  }

  Mkt marketOrNull(int id) {
    return markets.get(id);
  }

  /**
   * Funding settled on touch: each position is credited {@link RiskMath#fundingCredit} (as the
   * engine's {@code AccountBook.settleFunding}) and its snapshot moves to its market's index.
   */
  private void settle(int id) {
    Acct a = acct(id);
    for (Map.Entry<Integer, long[]> e : a.positions.entrySet()) {
      long[] p = e.getValue();
      long index = mkt(e.getKey()).fundingIndex;
      if (p[1] != index) {
        long credit = RiskMath.fundingCredit(p[0], p[1], index);
        if (credit != 0) {
          setCollateral(id, Math.addExact(a.collateral, credit));
          ledger.funding(id, e.getKey(), p[0], credit, p[1], index, a.collateral);
        }
        p[1] = index;
      }
    }
  }

  /** Sets the collateral from a record's "after", noting the change (nothing if none). */
  private void change(int id, CollateralKind kind, int market, int counterparty, long after) {
    long amount = Math.subtractExact(after, acct(id).collateral);
    setCollateral(id, after);
    ledger.change(id, kind, market, counterparty, amount, after);
  }

  /** A trade's collateral change: its cash flow, then its fee (paid: fee &gt; 0). */
  private void traded(int id, int market, int counterparty, long fee, long after) {
    long before = acct(id).collateral;
    long cash = Math.addExact(Math.subtractExact(after, before), fee);
    change(id, CollateralKind.TRADE, market, counterparty, Math.addExact(before, cash));
    change(id, CollateralKind.FEE, market, counterparty, after);
  }

  /** {@code a} trades {@code size} of {@code market} at {@code price} with {@code b}. */
  private record Exchange(int a, int b, int market, long size, long price) {}

  /**
   * A position moved between two accounts outside the book (deleveraging, a forced trade): funding
   * settled on both at the record's index, both positions traded, both collaterals set.
   *
   * @return the two accounts, touched
   * @param positionsAfter {@code a}'s and {@code b}'s positions after
   * @param collateralsAfter {@code a}'s and {@code b}'s collaterals after
   */
  private List<Integer> exchange(
      CollateralKind kind,
      Exchange x,
      long fundingIndex,
      long[] positionsAfter,
      long[] collateralsAfter) {
    mkt(x.market()).fundingIndex = fundingIndex;
    settle(x.a());
    settle(x.b());
    trade(x.a(), x.market(), x.size(), x.price(), positionsAfter[0]);
    trade(x.b(), x.market(), -x.size(), x.price(), positionsAfter[1]);
    change(x.a(), kind, x.market(), x.b(), collateralsAfter[0]);
    change(x.b(), kind, x.market(), x.a(), collateralsAfter[1]);
    return List.of(x.a(), x.b());
  }

  /** Applies a trade of delta at price (cost basis as the engine keeps it), then sets the size. */
  private void trade(int id, int market, long delta, long price, long sizeAfter) {
    Acct a = acct(id);
    long[] p = a.positions.get(market);
    long s0 = p == null ? 0 : p[0];
    long c0 = p == null ? 0 : p[2];
    long c1 = RiskMath.costBasisAfterTrade(s0, c0, delta, price);
    long index = mkt(market).fundingIndex;
    if (sizeAfter == 0) {
      a.positions.remove(market);
      mkt(market).holders.remove(id);
    } else {
      a.positions.put(market, new long[] {sizeAfter, index, c1});
      mkt(market).holders.add(id);
    }
  }

  /**
   * Applies one command's records.
   *
   * @param seq its journal sequence
   * @param time the time the read model has reached, seconds (the ledger entries')
   * @param command the command if known (tells an L1 deposit or a forced withdrawal), else null
   * @param events its events
   * @return what changed
   */
  Changes apply(long seq, long time, Command command, List<SequencerEvent> events) {
    Set<Integer> touched = new TreeSet<>();
    ledger = new LedgerEntries(seq, time);
    List<ReadModel.MarketUpdate> marketUpdates = new ArrayList<>();
    List<PendingFill> fills = new ArrayList<>();
    int fund = RiskEngine.INSURANCE_FUND;
    for (SequencerEvent e : events) {
      switch (e) {
        case SequencerEvent.OrderAccepted a -> touched.add(a.account());
        case SequencerEvent.OrderTriggered t -> touched.add(t.account());
        case SequencerEvent.OrderClosed c -> touched.add(c.account());
        case SequencerEvent.Fill f -> {
          touched.add(f.makerAccount());
          touched.add(f.takerAccount());
          fills.add(new PendingFill(f, fills.size()));
        }
        case SequencerEvent.PriceTickApplied p -> {
          Mkt m = mkt(p.market());
          m.oraclePrice = p.oraclePrice();
          m.oracleTimestamp = p.timestamp();
          m.sequence++;
          touched.addAll(m.holders);
          marketUpdates.add(
              new ReadModel.MarketUpdate(
                  p.market(), m.sequence, seq, p.oraclePrice(), p.timestamp(), null));
        }
        case SequencerEvent.FundingPeriodStarted f ->
            mkt(f.market()).fundingTimestamp = f.timestamp();
        case SequencerEvent.FundingTickApplied f -> {
          Mkt m = mkt(f.market());
          m.fundingIndex = f.indexAfter();
          m.fundingTimestamp = f.timestamp();
          m.sequence++;
          touched.addAll(m.holders);
          ReadModel.FundingTickView v =
              new ReadModel.FundingTickView(
                  seq,
                  f.market(),
                  f.timestamp(),
                  f.indexDelta(),
                  f.indexAfter(),
                  f.oraclePrice(),
                  null);
          m.lastFunding = v;
          marketUpdates.add(
              new ReadModel.MarketUpdate(
                  f.market(), m.sequence, seq, f.oraclePrice(), f.timestamp(), v));
        }
        case SequencerEvent.FundingTickDerived d -> {
          // right after its FundingTickApplied: enrich that entry
          Mkt m = mkt(d.market());
          ReadModel.FundingTickView last = m.lastFunding;
          if (last != null && last.journalSeq() == seq && last.timestamp() == d.timestamp()) {
            ReadModel.FundingTickView v =
                new ReadModel.FundingTickView(
                    last.journalSeq(),
                    last.market(),
                    last.timestamp(),
                    last.indexDelta(),
                    last.fundingIndex(),
                    last.oraclePrice(),
                    new ReadModel.FundingDerivation(
                        d.intervalSeconds(), d.samples(), d.averagePremiumPpm(), d.ratePpm()));
            m.lastFunding = v;
            for (int i = marketUpdates.size() - 1; i >= 0; i--) {
              ReadModel.MarketUpdate u = marketUpdates.get(i);
              if (u.funding() == last) {
                marketUpdates.set(
                    i,
                    new ReadModel.MarketUpdate(
                        u.market(),
                        u.sequence(),
                        u.journalSeq(),
                        u.oraclePrice(),
                        u.timestamp(),
                        v));
                break;
              }
            }
          }
        }
        case SequencerEvent.Deposited d -> {
          settle(d.account());
          change(
              d.account(),
              command instanceof CreditL1Deposit
                  ? CollateralKind.L1_DEPOSIT
                  : CollateralKind.DEPOSIT,
              -1,
              -1,
              d.collateralAfter());
          touched.add(d.account());
        }
        case SequencerEvent.Withdrawn w -> {
          settle(w.account());
          change(
              w.account(),
              command instanceof ServeL1ForcedWithdrawal
                  ? CollateralKind.FORCED_WITHDRAWAL
                  : CollateralKind.WITHDRAWAL,
              -1,
              -1,
              w.collateralAfter());
          touched.add(w.account());
        }
        case SequencerEvent.InsuranceFundToppedUp t -> {
          settle(fund);
          change(fund, CollateralKind.INSURANCE_TOP_UP, -1, -1, t.fundCollateralAfter());
          touched.add(fund);
        }
        case SequencerEvent.Transferred t -> {
          settle(t.from());
          settle(t.to());
          change(t.from(), CollateralKind.TRANSFER_OUT, -1, t.to(), t.fromCollateralAfter());
          change(t.to(), CollateralKind.TRANSFER_IN, -1, t.from(), t.toCollateralAfter());
          touched.add(t.from());
          touched.add(t.to());
        }
        case SequencerEvent.TradeSettled t -> {
          int m = t.market();
          mkt(m).fundingIndex = t.fundingIndex();
          settle(t.takerAccount());
          settle(t.makerAccount());
          trade(t.takerAccount(), m, t.size(), t.price(), t.takerPositionAfter());
          trade(t.makerAccount(), m, -t.size(), t.price(), t.makerPositionAfter());
          traded(t.takerAccount(), m, t.makerAccount(), t.takerFee(), t.takerCollateralAfter());
          traded(t.makerAccount(), m, t.takerAccount(), t.makerFee(), t.makerCollateralAfter());
          touched.add(t.takerAccount());
          touched.add(t.makerAccount());
          for (int i = fills.size() - 1; i >= 0; i--) {
            PendingFill p = fills.get(i);
            SequencerEvent.Fill f = p.fill;
            if (!p.settled
                && f.market() == m
                && f.takerAccount() == t.takerAccount()
                && f.makerAccount() == t.makerAccount()
                && f.price() == t.price()
                && f.size() == Math.abs(t.size())) {
              p.settled = true;
              p.takerFee = t.takerFee();
              p.makerFee = t.makerFee();
              break;
            }
          }
        }
        case SequencerEvent.LiquidationTriggered l -> touched.add(l.account());
        case SequencerEvent.Liquidated l -> {
          CollateralKind fee = CollateralKind.LIQUIDATION_FEE;
          change(l.account(), fee, l.market(), fund, l.collateralAfter());
          change(l.counterparty(), fee, l.market(), l.account(), l.counterpartyCollateralAfter());
          change(fund, fee, l.market(), l.account(), l.insuranceFundAfter());
          touched.add(l.account());
          touched.add(l.counterparty());
          touched.add(fund);
        }
        case SequencerEvent.InsuranceTakeover t -> {
          mkt(t.market()).fundingIndex = t.fundingIndex();
          settle(t.account());
          settle(fund);
          trade(t.account(), t.market(), t.size(), t.price(), t.positionAfter());
          trade(fund, t.market(), -t.size(), t.price(), t.fundPositionAfter());
          CollateralKind k = CollateralKind.INSURANCE_TAKEOVER;
          change(t.account(), k, t.market(), fund, t.collateralAfter());
          change(fund, k, t.market(), t.account(), t.fundCollateralAfter());
          touched.add(t.account());
          touched.add(fund);
        }
        case SequencerEvent.Deleveraged d ->
            touched.addAll(
                exchange(
                    CollateralKind.DELEVERAGING,
                    new Exchange(d.account(), d.counterparty(), d.market(), d.size(), d.price()),
                    d.fundingIndex(),
                    new long[] {d.positionAfter(), d.counterpartyPositionAfter()},
                    new long[] {d.collateralAfter(), d.counterpartyCollateralAfter()}));
        case SequencerEvent.ForcedTradeServed f -> {
          ForcedTradeRequest q = f.request();
          if (f.reason() == ForcedTradeReason.EXECUTED) { // an invalid one changes nothing
            touched.addAll(
                exchange(
                    CollateralKind.FORCED_TRADE,
                    new Exchange(q.accountA(), q.accountB(), q.market(), q.deltaA(), f.price()),
                    f.fundingIndex(),
                    new long[] {f.positionAfterA(), f.positionAfterB()},
                    new long[] {f.collateralAfterA(), f.collateralAfterB()}));
          }
        }
        case SequencerEvent.Rejected r -> {}
      }
    }
    Map<Integer, List<ReadModel.FillView>> byAccount = new HashMap<>();
    for (PendingFill p : fills) {
      SequencerEvent.Fill f = p.fill;
      Side takerSide = f.takerSide();
      Side makerSide = takerSide == Side.BUY ? Side.SELL : Side.BUY;
      ReadModel.FillView maker =
          new ReadModel.FillView(
              seq,
              p.index,
              f.market(),
              f.makerOrderId(),
              makerSide,
              ReadModel.Liquidity.MAKER,
              f.price(),
              f.size(),
              p.settled ? p.makerFee : null);
      ReadModel.FillView taker =
          new ReadModel.FillView(
              seq,
              p.index,
              f.market(),
              f.takerOrderId(),
              takerSide,
              ReadModel.Liquidity.TAKER,
              f.price(),
              f.size(),
              p.settled ? p.takerFee : null);
      addFill(f.makerAccount(), maker, byAccount);
      addFill(f.takerAccount(), taker, byAccount);
    }
    for (int id : touched) {
      acct(id).sequence++;
    }
    for (Mkt m : markets.values()) {
      m.lastFunding = null;
    }
    return new Changes(touched, marketUpdates, byAccount, ledger);
  }

  private void addFill(
      int account, ReadModel.FillView v, Map<Integer, List<ReadModel.FillView>> out) {
    out.computeIfAbsent(account, k -> new ArrayList<>()).add(v);
  }

  /**
   * Appends the accounts (collateral, sequence, positions) and markets (oracle, funding, sequence,
   * holders) in ascending id order.
   *
   * @param w the snapshot writer
   */
  void encode(ReadModelCodec.Writer w) {
    ReadModelCodec.Out out = w.out();
    w.byIntKey(
        accounts,
        a -> {
          out.writeLong(a.collateral);
          out.writeLong(a.sequence);
          out.writeInt(a.positions.size());
          for (Map.Entry<Integer, long[]> e : a.positions.entrySet()) {
            out.writeInt(e.getKey());
            for (long v : e.getValue()) {
              out.writeLong(v);
            }
          }
        });
    w.byIntKey(
        markets,
        m -> {
          out.writeLong(m.oraclePrice);
          out.writeLong(m.oracleTimestamp);
          out.writeLong(m.fundingIndex);
          out.writeLong(m.fundingTimestamp);
          out.writeLong(m.sequence);
          out.writeInt(m.holders.size());
          for (int h : m.holders) {
            out.writeInt(h);
          }
        });
  }

  /**
   * Decodes what {@link #encode} wrote without changing this object.
   *
   * @param r the snapshot reader
   * @return puts the decoded accounts and markets in place (into an empty state) when run
   */
  Runnable decode(ReadModelCodec.Reader r) {
    ReadModelCodec.In in = r.in();
    Map<Integer, Acct> newAccounts =
        r.byIntKey(
            () -> {
              Acct a = new Acct();
              a.collateral = in.readLong();
              a.sequence = in.readLong();
              for (int j = 0, p = r.count(); j < p; j++) {
                int market = in.readInt();
                a.positions.put(market, new long[] {in.readLong(), in.readLong(), in.readLong()});
              }
              return a;
            });
    Map<Integer, Mkt> newMarkets =
        r.byIntKey(
            () -> {
              Mkt m = new Mkt();
              m.oraclePrice = in.readLong();
              m.oracleTimestamp = in.readLong();
              m.fundingIndex = in.readLong();
              m.fundingTimestamp = in.readLong();
              m.sequence = in.readLong();
              for (int j = 0, h = r.count(); j < h; j++) {
                m.holders.add(in.readInt());
              }
              return m;
            });
    return () -> {
      accounts.clear();
      accounts.putAll(newAccounts);
      markets.clear();
      markets.putAll(newMarkets);
    };
  }

  /**
   * An account's state and margin figures.
   *
   * @param id the account
   * @param journalSeq the read model's journal sequence
   * @return the view (zeros for an account never seen)
   */
  ReadModel.AccountView view(int id, long journalSeq) {
    Acct a = accounts.get(id);
    if (a == null) {
      return new ReadModel.AccountView(
          id,
          0,
          journalSeq,
          0,
          List.of(),
          risk == null ? null : new ReadModel.Margin(0, 0, 0, 0, 0));
    }
    int n = a.positions.size();
    int[] markets = new int[n];
    long[][] raw = new long[n][];
    long[] credits = new long[n];
    long[] values = new long[n];
    long[] mmrs = new long[n];
    long pending = 0;
    long equity = a.collateral;
    long imr = 0;
    long mmr = 0;
    int i = 0;
    for (Map.Entry<Integer, long[]> e : a.positions.entrySet()) {
      int market = e.getKey();
      long[] p = e.getValue();
      Mkt m = mkt(market);
      long credit = RiskMath.fundingCredit(p[0], p[1], m.fundingIndex);
      markets[i] = market;
      raw[i] = p;
      credits[i] = credit;
      pending = Math.addExact(pending, credit);
      values[i] = RiskMath.value(p[0], m.oraclePrice);
      equity = Math.addExact(equity, values[i]);
      MarketRisk params = risk == null ? null : risk.markets().get(market);
      if (params != null) {
        imr = Math.addExact(imr, RiskMath.initialRequirement(p[0], m.oraclePrice, params));
        mmrs[i] = RiskMath.maintenanceRequirement(p[0], m.oraclePrice, params);
        mmr = Math.addExact(mmr, mmrs[i]);
      }
      i++;
    }
    equity = Math.addExact(equity, pending);
    List<ReadModel.Position> positions = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      long[] p = raw[j];
      MarketRisk params = risk == null ? null : risk.markets().get(markets[j]);
      Long liquidationPrice = null;
      if (params != null && p[0] != 0) {
        // the other positions at their marks, every position's pending funding unchanged
        OptionalLong lp =
            LiquidationPrice.of(p[0], params, Math.subtractExact(equity, values[j]), mmr - mmrs[j]);
        liquidationPrice = lp.isPresent() ? lp.getAsLong() : null;
      }
      positions.add(
          new ReadModel.Position(markets[j], p[0], p[2], p[1], credits[j], liquidationPrice));
    }
    ReadModel.Margin margin =
        risk == null ? null : new ReadModel.Margin(equity, imr, mmr, equity - imr, pending);
    return new ReadModel.AccountView(
        id, a.sequence, journalSeq, a.collateral, List.copyOf(positions), margin);
  }
}
