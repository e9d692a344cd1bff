package io.zkperp.gateway.bridge;

import io.zkperp.gateway.bridge.history.Candle;
import io.zkperp.gateway.bridge.history.CandleInterval;
import io.zkperp.gateway.bridge.history.CollateralChange;
import io.zkperp.gateway.bridge.history.FundingPayment;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.bridge.history.OrderRecord;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.RiskConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The gateway's view of markets, live orders and books, maintained only from what the sequencer
 * reports after the journal write (accepted commands and their {@link SequencerEvent}s): never by
 * reading the core, which belongs to the core thread. It starts empty, so it is exact for a
 * sequencer that started from an empty core and received every command through the {@link
 * SequencerBridge} (a recovered core's markets and orders are not loaded yet).
 *
 * <p>Book rule: an order counts in its book at its limit price with its remaining size while it is
 * live and not a parked conditional order; after each command the touched orders are re-booked, so
 * an IOC or market order that closed in the same command never shows.
 *
 * <p>Accounts: collateral, positions (size, funding snapshot, cost basis), fills and funding ticks
 * are rebuilt from the risk engine's state-change records ({@code AccountState}); margin figures
 * use the risk engine's {@code RiskMath} with the {@link RiskConfig} given to the constructor (none
 * without one). After each command, {@link #apply} hands the updates of watched accounts ({@link
 * #watch}) and the markets' price and funding ticks to the stream sink.
 *
 * <p>History: with a {@link HistoryStore}, every fill, trade, funding tick, funding payment,
 * collateral change and order outcome goes to it, in one RocksDB write per {@link #endOfBatch} (the
 * journal's group commit) together with the record's journal sequence; records the store already
 * holds (a replay after a crash) are not written again. {@link #fills} and {@link #fundingHistory}
 * page through it. Without a store the read model keeps no history.
 *
 * <p>Threads: {@link #apply}, {@link #endOfBatch}, {@link #encodeSnapshot} and {@link
 * #restoreSnapshot} from one writer thread at a time (the sequencer's journal thread, or the
 * recovering or closing thread while nothing else writes). Queries from any thread, without a lock
 * shared with the writer: after each command the writer publishes immutable views of the accounts,
 * books and markets it touched (each stamped with its own sequence, see {@link AccountView} and
 * {@link BookSnapshot}) in concurrent maps, then the journal sequence in a volatile field, and only
 * then hands the command's stream updates on; a reader gets whole views, never a half-applied
 * command, and a stream snapshot taken after {@link #watch} is followed by every later update.
 */
public final class ReadModel {
  /**
   * A market as listed.
   *
   * @param market the market id
   * @param tickSize the price tick
   * @param stepSize the size step
   * @param minSize the minimum order size
   */
  public record MarketInfo(int market, long tickSize, long stepSize, long minSize) {}

  /**
   * A live order.
   *
   * @param orderId the order id
   * @param account the owner
   * @param market the market
   * @param clientOrderId the client order id (unsigned 32-bit)
   * @param side the side
   * @param price the limit price
   * @param size the signed size
   * @param remaining the unfilled size
   * @param nonce the nonce
   * @param conditional whether it is a parked conditional order (not in the book)
   */
  public record OpenOrder(
      long orderId,
      int account,
      int market,
      long clientOrderId,
      Side side,
      long price,
      long size,
      long remaining,
      long nonce,
      boolean conditional) {}

  /**
   * One aggregated price level.
   *
   * @param price the price
   * @param size the total remaining size
   * @param orders the number of orders
   */
  public record Level(long price, long size, int orders) {}

  /**
   * A book snapshot.
   *
   * @param market the market
   * @param sequence the market's sequence: +1 for every accepted command that changed its book
   * @param journalSeq a journal record at which the snapshot was exact: the later of the last
   *     record that changed the book and the last one applied when the read began
   * @param bids bid levels, best (highest) first
   * @param asks ask levels, best (lowest) first
   */
  public record BookSnapshot(
      int market, long sequence, long journalSeq, List<Level> bids, List<Level> asks) {}

  /**
   * One changed price level: its new total ({@code size} 0 and {@code orders} 0 = the level is
   * gone).
   *
   * @param side BUY (bids) or SELL (asks)
   * @param price the price
   * @param size the new total remaining size
   * @param orders the new number of orders
   */
  public record LevelChange(Side side, long price, long size, int orders) {}

  /**
   * The changes one accepted command made to a market's book.
   *
   * @param market the market
   * @param sequence the market's sequence after the change (the previous one + 1)
   * @param changes the changed levels, in the order first touched
   */
  public record BookDelta(int market, long sequence, List<LevelChange> changes) {}

  /** Who provided the liquidity of a fill. */
  public enum Liquidity {
    /** The resting order. */
    MAKER,
    /** The incoming order. */
    TAKER
  }

  /**
   * One fill, from one account's side.
   *
   * @param journalSeq the journal sequence of the command
   * @param index the fill's position among the command's fills (as in the trade stream)
   * @param market the market
   * @param orderId this account's order
   * @param side this account's side
   * @param liquidity MAKER or TAKER
   * @param price the fill price (quote quanta per synthetic quantum)
   * @param size the fill size (synthetic quanta, &gt; 0)
   * @param fee the fee this account paid (collateral quanta, negative = rebate) from the fill's
   *     {@code TradeSettled}; null without a risk engine
   */
  public record FillView(
      long journalSeq,
      int index,
      int market,
      long orderId,
      Side side,
      Liquidity liquidity,
      long price,
      long size,
      Long fee) {}

  /**
   * A position.
   *
   * @param market the market
   * @param size the signed size (synthetic quanta)
   * @param costBasis Σ signed entry cost (size · price, collateral quanta), as the risk engine
   *     keeps it
   * @param fundingSnapshot the funding index (32.32) at which funding was last settled on it
   * @param pendingFunding funding credited when the account is next touched (collateral quanta,
   *     negative = owed)
   * @param liquidationPrice the oracle price (32.32) of this market at which the engine would
   *     liquidate the account, the other positions at their oracle prices ({@code LiquidationPrice}
   *     of the risk engine); null without a risk configuration or when no price liquidates it
   */
  public record Position(
      int market,
      long size,
      long costBasis,
      long fundingSnapshot,
      long pendingFunding,
      Long liquidationPrice) {}

  /**
   * Margin figures at the last oracle prices, computed with the risk engine's {@code RiskMath}.
   *
   * @param equity collateral + pending funding + Σ floor(size · oracle / 2^32)
   * @param initialMargin Σ initial margin requirements
   * @param maintenanceMargin Σ maintenance margin requirements
   * @param freeCollateral equity − initialMargin (may be negative)
   * @param pendingFunding Σ pending funding of the positions
   */
  public record Margin(
      long equity,
      long initialMargin,
      long maintenanceMargin,
      long freeCollateral,
      long pendingFunding) {}

  /**
   * An account as the records left it.
   *
   * @param account the account
   * @param sequence the account's sequence: +1 for every accepted command that touched it (its
   *     orders, fills, collateral, positions, or the price or funding of a market it holds)
   * @param journalSeq a journal record at which the view was exact: the later of the last record
   *     that changed the account and the last one applied when the read began
   * @param collateral collateral quanta
   * @param positions open positions by market
   * @param margin margin figures, null when the read model has no risk configuration
   */
  public record AccountView(
      int account,
      long sequence,
      long journalSeq,
      long collateral,
      List<Position> positions,
      Margin margin) {}

  /**
   * The numbers of a funding tick derived from premium samples.
   *
   * @param intervalSeconds the period's length
   * @param samples the premium samples of the period
   * @param averagePremiumPpm the average premium, ppm
   * @param ratePpm the 8-hour rate after interest and clamp, ppm
   */
  public record FundingDerivation(
      long intervalSeconds, int samples, long averagePremiumPpm, long ratePpm) {}

  /**
   * One funding tick.
   *
   * @param journalSeq the journal sequence of the command
   * @param market the market
   * @param timestamp the tick's time, seconds
   * @param indexDelta the index change, 32.32
   * @param fundingIndex the index after, 32.32
   * @param oraclePrice the oracle price it was computed at, 32.32
   * @param derived the derivation (null for an operator FundingTick)
   */
  public record FundingTickView(
      long journalSeq,
      int market,
      long timestamp,
      long indexDelta,
      long fundingIndex,
      long oraclePrice,
      FundingDerivation derived) {}

  /**
   * A market's oracle and funding state.
   *
   * @param market the market
   * @param sequence +1 for every price or funding tick of the market
   * @param oraclePrice the last oracle price, 32.32 (0 = none yet)
   * @param oracleTimestamp its timestamp
   * @param fundingIndex the funding index, 32.32
   * @param fundingTimestamp the funding timestamp
   */
  public record MarketState(
      int market,
      long sequence,
      long oraclePrice,
      long oracleTimestamp,
      long fundingIndex,
      long fundingTimestamp) {}

  /**
   * One price or funding tick of a market.
   *
   * @param market the market
   * @param sequence the market's sequence after it
   * @param journalSeq the journal sequence of the command
   * @param oraclePrice the oracle price, 32.32
   * @param timestamp the tick's timestamp
   * @param funding the funding tick, or null for a price tick
   */
  public record MarketUpdate(
      int market,
      long sequence,
      long journalSeq,
      long oraclePrice,
      long timestamp,
      FundingTickView funding) {}

  /**
   * How one live or just-closed order of an account stands after a command.
   *
   * @param order the order (remaining 0 once closed)
   * @param status {@code OPEN}, {@code PARKED} (conditional) or the close reason
   */
  public record OrderChange(OpenOrder order, String status) {}

  /**
   * What one accepted command did to a watched account.
   *
   * @param account the account after the command
   * @param orders its orders the command changed, by order id
   * @param fills its fills in the command
   */
  public record AccountUpdate(
      AccountView account, List<OrderChange> orders, List<FillView> fills) {}

  /**
   * The stream updates of one accepted command.
   *
   * @param journalSeq the command's journal sequence
   * @param accounts updates of watched accounts the command touched
   * @param markets price and funding ticks
   */
  public record StreamUpdates(
      long journalSeq, List<AccountUpdate> accounts, List<MarketUpdate> markets) {}

  private record LevelKey(int market, Side side, long price) {}

  private static final class Live {
    final long orderId;
    final int account;
    final int market;
    final int clientOrderId;
    final Side side;
    final long price;
    final long size;
    final long nonce;
    long remaining;
    boolean conditional;
    long booked;

    Live(SequencerEvent.OrderAccepted a, boolean conditional) {
      orderId = a.orderId();
      account = a.account();
      market = a.market();
      clientOrderId = a.clientOrderId();
      side = a.side();
      price = a.price();
      size = a.size();
      nonce = a.nonce();
      remaining = a.size();
      this.conditional = conditional;
    }

    private OpenOrder cached; // the last view, while remaining and conditional are unchanged

    OpenOrder view() {
      OpenOrder c = cached;
      if (c != null && c.remaining() == remaining && c.conditional() == conditional) {
        return c;
      }
      c = fresh();
      cached = c;
      return c;
    }

    private OpenOrder fresh() {
      return new OpenOrder(
          orderId,
          account,
          market,
          Integer.toUnsignedLong(clientOrderId),
          side,
          price,
          size,
          remaining,
          nonce,
          conditional);
    }
  }

  private static final class MutableLevel {
    long size;
    int orders;
  }

  private static final class Book {
    final NavigableMap<Long, MutableLevel> bids = new TreeMap<>(Collections.reverseOrder());
    final NavigableMap<Long, MutableLevel> asks = new TreeMap<>();
    long sequence;

    NavigableMap<Long, MutableLevel> side(Side s) {
      return s == Side.BUY ? bids : asks;
    }
  }

  /** A book's levels as published to readers: immutable arrays, best first. */
  private record BookView(
      long sequence,
      long stamp,
      long[] bidPrices,
      long[] bidSizes,
      int[] bidOrders,
      long[] askPrices,
      long[] askSizes,
      int[] askOrders) {}

  private final Map<Integer, MarketInfo> markets = new TreeMap<>();
  private final Map<Integer, Book> books = new HashMap<>();
  private final Map<Long, Live> orders = new HashMap<>();
  private final Map<Integer, TreeMap<Long, Live>> byAccount = new HashMap<>();
  // writer thread: each account's live orders as published (by order id; never changed once out)
  private final Map<Integer, OpenOrder[]> openArrays = new HashMap<>();
  private volatile boolean replaying; // no views published until the replay ends
  private final Map<Integer, Long> highestNonce = new ConcurrentHashMap<>();
  private volatile long journalSeq;
  private final AccountState accounts;
  private final HistoryStore history;
  private HistoryStore.Batch batch; // writer thread
  private long historySeq; // writer thread: the last record given to the history
  // writer thread: the newest candle of each market and interval (market × 256 + interval)
  private final Map<Long, Candle> openCandles = new HashMap<>();
  private volatile boolean historyFailed;
  private long time; // writer thread: the latest core or oracle time seen, seconds

  // the readers' side: immutable views, replaced by the writer
  private volatile List<MarketInfo> marketList = List.of();
  private final Map<Integer, AccountSnapshot> accountViews = new ConcurrentHashMap<>();
  private final Map<Integer, BookView> bookViews = new ConcurrentHashMap<>();
  private final Map<Integer, MarketState> marketViews = new ConcurrentHashMap<>();

  /** Records a history batch holds before it is written without waiting for the batch end. */
  private static final int MAX_BATCH_ENTRIES = 50_000;

  private final Map<Integer, Integer> watched = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile java.util.function.Consumer<StreamUpdates> streamSink = u -> {};

  /** An empty read model without a risk configuration: accounts have no margin figures. */
  public ReadModel() {
    this(null);
  }

  /**
   * An empty read model.
   *
   * @param risk the risk engine's configuration (for margin figures), or null if the core has no
   *     risk engine
   */
  public ReadModel(RiskConfig risk) {
    this(risk, null);
  }

  /**
   * An empty read model that writes its history to a store.
   *
   * @param risk the risk engine's configuration (for margin figures), or null if the core has no
   *     risk engine
   * @param history the history store, or null to keep no history; the caller closes it after the
   *     read model's last use
   */
  public ReadModel(RiskConfig risk, HistoryStore history) {
    this.accounts = new AccountState(risk);
    this.history = history;
    this.historySeq = history == null ? 0 : history.appliedSeq();
  }

  /**
   * The history store, or null.
   *
   * @return the store
   */
  public HistoryStore history() {
    return history;
  }

  /**
   * Where the account and market updates of each accepted command go: called on the journal thread
   * at the end of {@link #apply}, in journal order; the receiver must only hand them off. Set once,
   * before the first command.
   *
   * @param sink the receiver
   */
  public void onStreamUpdates(java.util.function.Consumer<StreamUpdates> sink) {
    this.streamSink = java.util.Objects.requireNonNull(sink);
  }

  /**
   * Starts or stops computing per-command updates for an account (the account stream's
   * subscribers). Any thread; call {@code watch(a, +1)} before taking the snapshot.
   *
   * @param account the account
   * @param delta +1 for a new subscriber, −1 when one ends
   */
  public void watch(int account, int delta) {
    watched.merge(account, delta, (x, y) -> x + y == 0 ? null : x + y);
  }

  /**
   * Whether the read model has the risk configuration (so margin figures).
   *
   * @return true if it has
   */
  public boolean hasRiskConfig() {
    return accounts.risk() != null;
  }

  /**
   * Applies one accepted command. One thread at a time (the journal thread).
   *
   * @param command the command if known (submitted through the bridge), else null
   * @param seq its journal sequence
   * @param events its events
   * @return the book changes it made, one delta per changed market (empty if none)
   */
  public synchronized List<BookDelta> apply(
      Command command, long seq, List<SequencerEvent> events) {
    if (command instanceof AddMarket m) {
      markets.put(m.market(), new MarketInfo(m.market(), m.tickSize(), m.stepSize(), m.minSize()));
      books.computeIfAbsent(m.market(), k -> new Book());
      marketList = List.copyOf(markets.values());
    }
    if (command instanceof Tick t) {
      time = Math.max(time, t.time());
    }
    PlaceOrder placed =
        switch (command) {
          case PlaceOrder p -> p;
          case CancelReplace r -> r.replacement();
          case null, default -> null;
        };
    Set<Live> touched = new HashSet<>();
    List<Live> closed = new ArrayList<>();
    Map<Long, String> closeReasons = new HashMap<>();
    Map<Long, Long> filledAtClose = new HashMap<>();
    for (SequencerEvent e : events) {
      switch (e) {
        case SequencerEvent.OrderAccepted a -> {
          boolean conditional =
              placed != null
                  && placed.account() == a.account()
                  && placed.nonce() == a.nonce()
                  && placed.trigger() != TriggerType.NONE;
          Live o = new Live(a, conditional);
          highestNonce.merge(
              a.account(), a.nonce(), (x, y) -> Long.compareUnsigned(x, y) >= 0 ? x : y);
          orders.put(o.orderId, o);
          byAccount.computeIfAbsent(o.account, k -> new TreeMap<>()).put(o.orderId, o);
          touched.add(o);
        }
        case SequencerEvent.OrderTriggered t -> {
          Live o = orders.get(t.orderId());
          if (o != null) {
            o.conditional = false;
            touched.add(o);
          }
        }
        case SequencerEvent.Fill f -> {
          for (long id : new long[] {f.makerOrderId(), f.takerOrderId()}) {
            Live o = orders.get(id);
            if (o != null) {
              o.remaining -= f.size();
              touched.add(o);
            }
          }
        }
        case SequencerEvent.PriceTickApplied p -> time = Math.max(time, p.timestamp());
        case SequencerEvent.OrderClosed c -> {
          Live o = orders.remove(c.orderId());
          closeReasons.put(c.orderId(), c.reason().name());
          if (o != null) {
            filledAtClose.put(o.orderId, o.size - o.remaining);
            o.remaining = 0;
            touched.add(o);
            closed.add(o);
          }
        }
        default -> {}
      }
    }
    Set<LevelKey> changedLevels = new java.util.LinkedHashSet<>();
    for (Live o : touched) {
      long want = orders.containsKey(o.orderId) && !o.conditional ? Math.max(0, o.remaining) : 0;
      if (want != o.booked) {
        Book b = books.computeIfAbsent(o.market, k -> new Book());
        NavigableMap<Long, MutableLevel> levels = b.side(o.side);
        MutableLevel level = levels.computeIfAbsent(o.price, k -> new MutableLevel());
        level.size += want - o.booked;
        level.orders += (want > 0 ? 1 : 0) - (o.booked > 0 ? 1 : 0);
        if (level.orders == 0) {
          levels.remove(o.price);
        }
        o.booked = want;
        changedLevels.add(new LevelKey(o.market, o.side, o.price));
      }
    }
    for (Live o : closed) {
      TreeMap<Long, Live> mine = byAccount.get(o.account);
      if (mine != null) {
        mine.remove(o.orderId);
        if (mine.isEmpty()) {
          byAccount.remove(o.account);
        }
      }
    }
    AccountState.Changes changes = accounts.apply(seq, time, command, events);
    if (history != null && !historyFailed && seq > historySeq) {
      writeHistory(seq, events, touched, closeReasons, filledAtClose, changes);
    }
    // publish the views, then the sequence, then the streams (see the class comment)
    Set<Integer> changedMarkets = new java.util.TreeSet<>();
    for (LevelKey k : changedLevels) {
      changedMarkets.add(k.market());
    }
    Map<Integer, List<LevelChange>> byMarket = new TreeMap<>();
    for (LevelKey k : changedLevels) {
      MutableLevel level = books.get(k.market()).side(k.side()).get(k.price());
      byMarket
          .computeIfAbsent(k.market(), mk -> new ArrayList<>())
          .add(
              new LevelChange(
                  k.side(),
                  k.price(),
                  level == null ? 0 : level.size,
                  level == null ? 0 : level.orders));
    }
    List<BookDelta> deltas = new ArrayList<>(byMarket.size());
    for (Map.Entry<Integer, List<LevelChange>> e : byMarket.entrySet()) {
      Book b = books.get(e.getKey());
      b.sequence++;
      deltas.add(new BookDelta(e.getKey(), b.sequence, List.copyOf(e.getValue())));
    }
    if (replaying) {
      journalSeq = seq;
      return deltas;
    }
    if (command instanceof AddMarket m) {
      changedMarkets.add(m.market());
    }
    for (int market : changedMarkets) {
      publishBook(market, seq);
    }
    Map<Integer, List<Live>> touchedByAccount = new HashMap<>();
    for (Live o : touched) {
      touchedByAccount.computeIfAbsent(o.account, k -> new ArrayList<>()).add(o);
    }
    for (Map.Entry<Integer, List<Live>> e : touchedByAccount.entrySet()) {
      updateOpenArray(e.getKey(), e.getValue());
    }
    Map<Integer, AccountView> views = new HashMap<>();
    for (int account : changes.accounts()) {
      views.put(account, publishAccount(account, seq));
    }
    for (MarketUpdate u : changes.markets()) {
      publishMarket(u.market());
    }
    journalSeq = seq;
    publishStreams(seq, touched, closeReasons, changes, views);
    return deltas;
  }

  /** The history entries of one record, into the open batch. Writer thread. */
  private void writeHistory(
      long seq,
      List<SequencerEvent> events,
      Set<Live> touched,
      Map<Long, String> closeReasons,
      Map<Long, Long> filledAtClose,
      AccountState.Changes changes) {
    if (batch == null) {
      batch = history.batch();
    }
    for (Map.Entry<Integer, List<FillView>> e : changes.fills().entrySet()) {
      for (FillView f : e.getValue()) {
        batch.fill(e.getKey(), f);
      }
    }
    int index = 0;
    for (SequencerEvent e : events) {
      switch (e) {
        case SequencerEvent.Fill f -> {
          HistoryStore.Trade t =
              new HistoryStore.Trade(
                  seq, index++, f.market(), time, f.price(), f.size(), f.takerSide());
          batch.trade(t);
          for (CandleInterval interval : CandleInterval.values()) {
            batch.candle(candle(interval, t));
          }
        }
        default -> {}
      }
    }
    for (FundingPayment p : changes.ledger().payments()) {
      batch.payment(p);
    }
    for (MarketUpdate u : changes.markets()) {
      if (u.funding() != null) {
        batch.funding(u.funding());
      }
    }
    for (CollateralChange c : changes.ledger().changes()) {
      batch.collateral(c);
    }
    if (!touched.isEmpty()) {
      List<OrderChange> all = new ArrayList<>(touched.size());
      for (Live o : touched) {
        all.add(new OrderChange(o.view(), status(o, closeReasons)));
      }
      all.sort(
          java.util.Comparator.comparingInt((OrderChange c) -> c.order().account())
              .thenComparingLong(c -> c.order().orderId()));
      int i = 0;
      int account = -1;
      for (OrderChange c : all) {
        i = c.order().account() == account ? i + 1 : 0;
        account = c.order().account();
        batch.order(new HistoryStore.OrderEvent(seq, i, c));
        long id = c.order().orderId();
        long filled =
            filledAtClose.containsKey(id)
                ? filledAtClose.get(id)
                : c.order().size() - c.order().remaining();
        batch.orderRecord(new OrderRecord(seq, filled, c));
      }
    }
    batch.record(seq);
    historySeq = seq;
    if (batch.entries() >= MAX_BATCH_ENTRIES) {
      commitHistory(false);
    }
  }

  /**
   * The candle of a market and interval after a trade: the open one (kept here, read from the
   * history after a restart) with the trade, or a new one when the trade's time is in a later
   * interval. Writer thread.
   */
  private Candle candle(CandleInterval interval, HistoryStore.Trade t) {
    long key = (long) t.market() * 256 + interval.ordinal();
    Candle open = openCandles.get(key);
    if (open == null) {
      open = history.latestCandle(t.market(), interval);
    }
    Candle next =
        open != null && open.start() == interval.bucketStart(t.time())
            ? open.with(t)
            : Candle.first(interval, t);
    openCandles.put(key, next);
    return next;
  }

  private String status(Live o, Map<Long, String> closeReasons) {
    return orders.containsKey(o.orderId)
        ? (o.conditional ? "PARKED" : "OPEN")
        : closeReasons.getOrDefault(o.orderId, "CLOSED");
  }

  /**
   * Writes the history entries of the records applied since the last call (one RocksDB write with
   * the last record's journal sequence). The writer thread, at the end of each group commit; does
   * nothing without a history store or without new records.
   */
  public synchronized void endOfBatch() {
    commitHistory(false);
  }

  private void commitHistory(boolean sync) {
    if (batch == null) {
      if (sync && history != null && !historyFailed) {
        history.syncWal();
      }
      return;
    }
    HistoryStore.Batch b = batch;
    batch = null;
    try {
      history.commit(b, sync);
    } catch (RuntimeException e) {
      // the store stays at its last good record; a restart replays the journal from there
      historyFailed = true;
      throw e;
    }
  }

  private void publishBook(int market, long seq) {
    Book b = books.get(market);
    if (b == null) {
      return;
    }
    int nb = b.bids.size();
    int na = b.asks.size();
    long[] bp = new long[nb];
    long[] bs = new long[nb];
    int[] bo = new int[nb];
    long[] ap = new long[na];
    long[] as = new long[na];
    int[] ao = new int[na];
    int i = 0;
    for (Map.Entry<Long, MutableLevel> e : b.bids.entrySet()) {
      bp[i] = e.getKey();
      bs[i] = e.getValue().size;
      bo[i++] = e.getValue().orders;
    }
    i = 0;
    for (Map.Entry<Long, MutableLevel> e : b.asks.entrySet()) {
      ap[i] = e.getKey();
      as[i] = e.getValue().size;
      ao[i++] = e.getValue().orders;
    }
    bookViews.put(market, new BookView(b.sequence, seq, bp, bs, bo, ap, as, ao));
  }

  private static final OpenOrder[] NO_ORDERS = {};

  private AccountView publishAccount(int account, long seq) {
    AccountView view = accounts.view(account, seq);
    OpenOrder[] open = openArrays.getOrDefault(account, NO_ORDERS);
    // the array is never written after this: a new one replaces it on the next change
    accountViews.put(
        account,
        new AccountSnapshot(
            view,
            open.length == 0
                ? List.of()
                : java.util.Collections.unmodifiableList(java.util.Arrays.asList(open))));
    return view;
  }

  /**
   * Applies the changed orders of an account to its published array: a copy with the live ones
   * replaced or inserted and the closed ones removed, by order id (a copy of references, no new
   * views for the orders that did not change).
   */
  private void updateOpenArray(int account, List<Live> changed) {
    OpenOrder[] old = openArrays.getOrDefault(account, NO_ORDERS);
    OpenOrder[] arr = old;
    int n = old.length;
    changed.sort(java.util.Comparator.comparingLong(o -> o.orderId));
    for (Live o : changed) {
      int i = search(arr, n, o.orderId);
      boolean live = orders.containsKey(o.orderId);
      if (live) {
        OpenOrder v = o.view();
        if (i >= 0) {
          if (arr[i] != v) {
            if (arr == old) {
              arr = Arrays.copyOf(old, n);
            }
            arr[i] = v;
          }
        } else {
          int at = -i - 1;
          OpenOrder[] bigger = new OpenOrder[n + 1];
          System.arraycopy(arr, 0, bigger, 0, at);
          bigger[at] = v;
          System.arraycopy(arr, at, bigger, at + 1, n - at);
          arr = bigger;
          n++;
        }
      } else if (i >= 0) {
        OpenOrder[] smaller = new OpenOrder[n - 1];
        System.arraycopy(arr, 0, smaller, 0, i);
        System.arraycopy(arr, i + 1, smaller, i, n - i - 1);
        arr = smaller;
        n--;
      }
    }
    if (n == 0) {
      openArrays.remove(account);
    } else if (arr != old) {
      openArrays.put(account, arr);
    }
  }

  private static int search(OpenOrder[] arr, int n, long orderId) {
    int lo = 0;
    int hi = n - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long id = arr[mid].orderId();
      if (id < orderId) {
        lo = mid + 1;
      } else if (id > orderId) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  /**
   * Starts or ends a replay (recovery): while it lasts, {@link #apply} keeps the state and writes
   * the history but publishes no views and no stream updates (nobody reads yet); ending it
   * publishes every view once. The writer thread.
   *
   * @param on true to start, false to end
   */
  public synchronized void replaying(boolean on) {
    replaying = on;
    if (!on) {
      publishAll(journalSeq);
    }
  }

  private void publishMarket(int market) {
    AccountState.Mkt s = accounts.marketOrNull(market);
    marketViews.put(
        market,
        s == null
            ? new MarketState(market, 0, 0, 0, 0, 0)
            : new MarketState(
                market,
                s.sequence,
                s.oraclePrice,
                s.oracleTimestamp,
                s.fundingIndex,
                s.fundingTimestamp));
  }

  /** Publishes every view (after a restore). Writer thread. */
  private void publishAll(long seq) {
    openArrays.clear();
    for (Map.Entry<Integer, TreeMap<Long, Live>> e : byAccount.entrySet()) {
      OpenOrder[] arr = new OpenOrder[e.getValue().size()];
      int i = 0;
      for (Live o : e.getValue().values()) {
        arr[i++] = o.view();
      }
      if (arr.length > 0) {
        openArrays.put(e.getKey(), arr);
      }
    }
    marketList = List.copyOf(markets.values());
    for (int m : books.keySet()) {
      publishBook(m, seq);
    }
    Set<Integer> ids = new java.util.TreeSet<>(accounts.accountIds());
    ids.addAll(byAccount.keySet());
    for (int a : ids) {
      publishAccount(a, seq);
    }
    Set<Integer> mids = new java.util.TreeSet<>(markets.keySet());
    mids.addAll(accounts.marketIds());
    for (int m : mids) {
      publishMarket(m);
    }
  }

  private void publishStreams(
      long seq,
      Set<Live> touched,
      Map<Long, String> closeReasons,
      AccountState.Changes changes,
      Map<Integer, AccountView> views) {
    List<AccountUpdate> updates = new ArrayList<>();
    if (!watched.isEmpty()) {
      for (int account : changes.accounts()) {
        if (!watched.containsKey(account)) {
          continue;
        }
        List<OrderChange> orderChanges = new ArrayList<>();
        for (Live o : touched) {
          if (o.account == account) {
            orderChanges.add(new OrderChange(o.view(), status(o, closeReasons)));
          }
        }
        orderChanges.sort(java.util.Comparator.comparingLong(c -> c.order().orderId()));
        updates.add(
            new AccountUpdate(
                views.get(account),
                List.copyOf(orderChanges),
                List.copyOf(changes.fills().getOrDefault(account, List.of()))));
      }
    }
    if (!updates.isEmpty() || !changes.markets().isEmpty()) {
      streamSink.accept(new StreamUpdates(seq, List.copyOf(updates), changes.markets()));
    }
  }

  /**
   * An account's collateral, positions and margin figures. Any thread; no lock.
   *
   * @param account the account
   * @return the view; an account never seen has sequence 0, collateral 0 and no positions. Its
   *     {@code journalSeq} is a record at which the view was exact: the later of the last record
   *     that changed the account and the last record applied when the call began
   */
  public AccountView account(int account) {
    return accountSnapshot(account).account();
  }

  /**
   * An account and its live orders, taken together (the account stream's snapshot).
   *
   * @param account the account
   * @param openOrders its live orders, by order id
   */
  public record AccountSnapshot(AccountView account, List<OpenOrder> openOrders) {}

  /**
   * An account and its live orders at one point of the journal. Any thread; no lock: the view the
   * writer published last for the account.
   *
   * @param account the account
   * @return the snapshot ({@code journalSeq} as {@link #account})
   */
  public AccountSnapshot accountSnapshot(int account) {
    long applied = journalSeq; // before the view: the view is at least as new
    AccountSnapshot s = accountViews.get(account);
    if (s == null) {
      return new AccountSnapshot(
          new AccountView(
              account,
              0,
              applied,
              0,
              List.of(),
              accounts.risk() == null ? null : new Margin(0, 0, 0, 0, 0)),
          List.of());
    }
    AccountView v = s.account();
    if (v.journalSeq() >= applied) {
      return s;
    }
    return new AccountSnapshot(
        new AccountView(
            v.account(), v.sequence(), applied, v.collateral(), v.positions(), v.margin()),
        s.openOrders());
  }

  /**
   * An account's fills, newest first, from the history store (every fill; empty without a store).
   * Any thread; waits at most 200 ms for the history of records already applied (the end of the
   * journal thread's current group).
   *
   * @param account the account
   * @param market only this market, or -1 for all
   * @param after where to continue ({@link HistoryCursor#NEWEST} for the newest)
   * @param limit the most fills, ≥ 1
   * @return the page
   */
  public HistoryStore.Page<FillView> fills(
      int account, int market, HistoryCursor after, int limit) {
    return fromHistory(h -> h.fills(account, market, after, limit));
  }

  /**
   * An account's funding payments (one per settled position), newest first, from the history store
   * (empty without one). Any thread; waits as {@link #fills} does.
   *
   * @param account the account
   * @param market only this market, or -1 for all
   * @param after where to continue ({@link HistoryCursor#NEWEST} for the newest)
   * @param limit the most payments, ≥ 1
   * @return the page
   */
  public HistoryStore.Page<FundingPayment> fundingPayments(
      int account, int market, HistoryCursor after, int limit) {
    return fromHistory(h -> h.payments(account, market, after, limit));
  }

  /**
   * An account's collateral changes, newest first, from the history store (empty without one). Any
   * thread; waits as {@link #fills} does.
   *
   * @param account the account
   * @param after where to continue ({@link HistoryCursor#NEWEST} for the newest)
   * @param limit the most changes, ≥ 1
   * @return the page
   */
  public HistoryStore.Page<CollateralChange> collateralHistory(
      int account, HistoryCursor after, int limit) {
    return fromHistory(h -> h.collateral(account, after, limit));
  }

  /**
   * A market's funding ticks, newest first, from the history store (empty without one). Any thread.
   *
   * @param market the market
   * @param after where to continue ({@link HistoryCursor#NEWEST} for the newest)
   * @param limit the most ticks, ≥ 1
   * @return the page
   */
  public HistoryStore.Page<FundingTickView> fundingHistory(
      int market, HistoryCursor after, int limit) {
    return fromHistory(h -> h.funding(market, after, limit));
  }

  /**
   * An account's orders, newest placed first, each as it stands or ended, from the history store
   * (empty without one). Any thread.
   *
   * @param account the account
   * @param after where to continue ({@link HistoryCursor#NEWEST} for the newest)
   * @param limit the most orders, ≥ 1
   * @return the page
   */
  public HistoryStore.Page<OrderRecord> orderHistory(int account, HistoryCursor after, int limit) {
    return fromHistory(h -> h.orderRecords(account, after, limit));
  }

  /**
   * A market's trades, newest first, from the history store (empty without one). Any thread.
   *
   * @param market the market
   * @param after where to continue ({@link HistoryCursor#NEWEST} for the newest)
   * @param limit the most trades, ≥ 1
   * @return the page
   */
  public HistoryStore.Page<HistoryStore.Trade> trades(int market, HistoryCursor after, int limit) {
    return fromHistory(h -> h.trades(market, after, limit));
  }

  /**
   * A market's candles of one interval whose start is within [{@code from}, {@code to}], newest
   * first, from the history store (empty without one). Any thread.
   *
   * @param market the market
   * @param interval the interval
   * @param from the earliest start, seconds
   * @param to the latest start, seconds
   * @param after where to continue ({@link HistoryCursor#NEWEST} for the newest)
   * @param limit the most candles, ≥ 1
   * @return the page
   */
  public HistoryStore.Page<Candle> candles(
      int market, CandleInterval interval, long from, long to, HistoryCursor after, int limit) {
    return fromHistory(h -> h.candles(market, interval, from, to, after, limit));
  }

  /**
   * A page read from the history store once it has applied what the journal thread handed it
   * ({@link #awaitHistory}); an empty last page without a store. Any thread.
   */
  private <T> HistoryStore.Page<T> fromHistory(Function<HistoryStore, HistoryStore.Page<T>> query) {
    if (history == null) {
      return new HistoryStore.Page<>(List.of(), null);
    }
    awaitHistory();
    return query.apply(history);
  }

  /**
   * Waits (briefly, without a lock) until the history holds every record applied when the call
   * began: the journal thread writes a group's history at the end of the group, just after handing
   * its acknowledgements on, so a client that got its answer then finds its fill in the history.
   */
  private void awaitHistory() {
    long target = journalSeq;
    if (history.appliedSeq() >= target || historyFailed || replaying) {
      return;
    }
    long deadline = System.nanoTime() + HISTORY_WAIT_NANOS;
    while (history.appliedSeq() < target && !historyFailed && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(20_000);
    }
  }

  /** The longest a history read waits for the journal thread's pending history write. */
  private static final long HISTORY_WAIT_NANOS = 200_000_000L;

  /**
   * The oracle and funding state of every listed market, by id. Any thread; no lock.
   *
   * @param market only this market, or -1 for all
   * @return the states
   */
  public List<MarketState> marketStates(int market) {
    List<MarketState> out = new ArrayList<>();
    for (MarketInfo info : marketList) {
      int m = info.market();
      if (market >= 0 && m != market) {
        continue;
      }
      MarketState s = marketViews.get(m);
      out.add(s == null ? new MarketState(m, 0, 0, 0, 0, 0) : s);
    }
    return out;
  }

  /**
   * Every account's position in a market, as the writer last published each account (with its
   * liquidation price at the oracle prices of that moment). Any thread; no lock: the accounts'
   * views are whole, but not all at one journal record.
   *
   * @param market the market
   * @return the positions, in no particular order
   */
  public List<Position> positionsIn(int market) {
    List<Position> out = new ArrayList<>();
    for (AccountSnapshot s : accountViews.values()) {
      for (Position p : s.account().positions()) {
        if (p.market() == market && p.size() != 0) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /**
   * The listed markets, by id. Any thread; no lock.
   *
   * @return the markets
   */
  public List<MarketInfo> markets() {
    return marketList;
  }

  /**
   * Whether a market is listed. Any thread; no lock.
   *
   * @param market the market id
   * @return true if listed
   */
  public boolean hasMarket(int market) {
    for (MarketInfo m : marketList) {
      if (m.market() == market) {
        return true;
      }
    }
    return false;
  }

  /**
   * The book's best levels. Any thread; no lock: the levels the writer published last for the
   * market.
   *
   * @param market the market
   * @param depth the most levels per side
   * @return the snapshot (empty sides for an unknown market); {@code journalSeq} is the later of
   *     the last record that changed the book and the last record applied when the call began
   */
  public BookSnapshot book(int market, int depth) {
    long applied = journalSeq;
    BookView b = bookViews.get(market);
    if (b == null) {
      return new BookSnapshot(market, 0, applied, List.of(), List.of());
    }
    return new BookSnapshot(
        market,
        b.sequence(),
        Math.max(applied, b.stamp()),
        levels(b.bidPrices(), b.bidSizes(), b.bidOrders(), depth),
        levels(b.askPrices(), b.askSizes(), b.askOrders(), depth));
  }

  private static List<Level> levels(long[] prices, long[] sizes, int[] counts, int depth) {
    int n = Math.min(depth, prices.length);
    Level[] out = new Level[n];
    for (int i = 0; i < n; i++) {
      out[i] = new Level(prices[i], sizes[i], counts[i]);
    }
    return List.of(out);
  }

  /**
   * An account's live orders, by order id. Any thread; no lock.
   *
   * @param account the account
   * @param market only this market, or -1 for all
   * @return the orders
   */
  public List<OpenOrder> openOrders(int account, int market) {
    AccountSnapshot s = accountViews.get(account);
    if (s == null) {
      return List.of();
    }
    if (market < 0) {
      return s.openOrders();
    }
    List<OpenOrder> out = new ArrayList<>();
    for (OpenOrder o : s.openOrders()) {
      if (o.market() == market) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * The highest nonce of any order of the account accepted so far (compared as unsigned, as the
   * signed message does). Any thread; no lock.
   *
   * @param account the account
   * @return the nonce, or 0 if the account has placed no accepted order
   */
  public long highestNonce(int account) {
    return highestNonce.getOrDefault(account, 0L);
  }

  /**
   * Encodes the read model's state ({@link ReadModelCodec}: markets, books, live orders, nonces,
   * the time the trades are stamped with, accounts, markets' oracle and funding state; the history
   * is in the {@link HistoryStore}, not in the snapshot) as of {@link #journalSeq}, for a snapshot.
   * First writes the pending history entries and waits for them to reach the disk, so the history
   * is never behind a snapshot (the journal before a snapshot may be released). The writer thread
   * (between two {@link #apply} calls).
   *
   * @param atSeq the journal record the snapshot ends at
   * @return the encoding
   * @throws IllegalStateException if the read model is not at {@code atSeq} (the snapshot would not
   *     be consistent with the core's)
   */
  public synchronized byte[] encodeSnapshot(long atSeq) {
    if (atSeq != journalSeq) {
      throw new IllegalStateException(
          "the read model is at journal record " + journalSeq + ", not " + atSeq);
    }
    commitHistory(true);
    ReadModelCodec.Writer w = new ReadModelCodec.Writer();
    w.header(journalSeq);
    w.out().writeInt(markets.size());
    for (MarketInfo m : markets.values()) {
      w.out().writeInt(m.market());
      w.out().writeLong(m.tickSize());
      w.out().writeLong(m.stepSize());
      w.out().writeLong(m.minSize());
    }
    w.byIntKey(
        books,
        b -> {
          w.out().writeLong(b.sequence);
          for (NavigableMap<Long, MutableLevel> side : List.of(b.bids, b.asks)) {
            w.out().writeInt(side.size());
            for (Map.Entry<Long, MutableLevel> e : side.entrySet()) {
              w.out().writeLong(e.getKey());
              w.out().writeLong(e.getValue().size);
              w.out().writeInt(e.getValue().orders);
            }
          }
        });
    List<Long> orderIds = new ArrayList<>(orders.keySet());
    Collections.sort(orderIds);
    w.out().writeInt(orderIds.size());
    for (long id : orderIds) {
      Live o = orders.get(id);
      w.out().writeLong(o.orderId);
      w.out().writeInt(o.account);
      w.out().writeInt(o.market);
      w.out().writeInt(o.clientOrderId);
      w.side(o.side);
      w.out().writeLong(o.price);
      w.out().writeLong(o.size);
      w.out().writeLong(o.nonce);
      w.out().writeLong(o.remaining);
      w.out().writeBoolean(o.conditional);
      w.out().writeLong(o.booked);
    }
    w.intLongMap(highestNonce);
    w.out().writeLong(time);
    accounts.encode(w);
    return w.bytes();
  }

  /**
   * Restores an empty read model from {@link #encodeSnapshot}'s bytes (a snapshot's read side). The
   * recovering thread, before the read model is in use.
   *
   * @param snapshot the encoding
   * @throws java.io.IOException if the bytes are not a read model snapshot of this format, or
   *     damaged (nothing is restored then)
   * @throws IllegalStateException if this read model is not empty
   */
  public synchronized void restoreSnapshot(byte[] snapshot) throws java.io.IOException {
    if (journalSeq != 0 || !markets.isEmpty() || !orders.isEmpty()) {
      throw new IllegalStateException("restore a snapshot into an empty read model only");
    }
    try {
      restore(new ReadModelCodec.Reader(snapshot));
    } catch (RuntimeException e) { // malformed: BufferUnderflow, IllegalArgument, ...
      throw new java.io.IOException("the read model snapshot does not decode: " + e, e);
    }
  }

  /** Decodes everything first, then fills this (empty) read model. */
  private void restore(ReadModelCodec.Reader r) {
    long seq = r.header();
    Map<Integer, MarketInfo> newMarkets = new TreeMap<>();
    for (int i = 0, n = r.count(); i < n; i++) {
      int m = r.in().readInt();
      newMarkets.put(m, new MarketInfo(m, r.in().readLong(), r.in().readLong(), r.in().readLong()));
    }
    Map<Integer, Book> newBooks =
        r.byIntKey(
            () -> {
              Book b = new Book();
              b.sequence = r.in().readLong();
              for (NavigableMap<Long, MutableLevel> side : List.of(b.bids, b.asks)) {
                for (int j = 0, levels = r.count(); j < levels; j++) {
                  long price = r.in().readLong();
                  MutableLevel level = new MutableLevel();
                  level.size = r.in().readLong();
                  level.orders = r.in().readInt();
                  side.put(price, level);
                }
              }
              return b;
            });
    Map<Long, Live> newOrders = new HashMap<>();
    for (int i = 0, n = r.count(); i < n; i++) {
      long orderId = r.in().readLong();
      int account = r.in().readInt();
      int market = r.in().readInt();
      int clientOrderId = r.in().readInt();
      Side side = r.side();
      long price = r.in().readLong();
      long size = r.in().readLong();
      long nonce = r.in().readLong();
      Live o =
          new Live(
              new SequencerEvent.OrderAccepted(
                  orderId, account, market, clientOrderId, side, price, size, nonce),
              false);
      o.remaining = r.in().readLong();
      o.conditional = r.in().readBoolean();
      o.booked = r.in().readLong();
      newOrders.put(o.orderId, o);
    }
    Map<Integer, Long> newNonces = r.intLongMap();
    long newTime = r.in().readLong();
    Runnable restoreAccounts = accounts.decode(r);
    r.end();
    restoreAccounts.run();
    journalSeq = seq;
    markets.putAll(newMarkets);
    books.putAll(newBooks);
    orders.putAll(newOrders);
    for (Live o : newOrders.values()) {
      byAccount.computeIfAbsent(o.account, k -> new TreeMap<>()).put(o.orderId, o);
    }
    highestNonce.putAll(newNonces);
    time = newTime;
    publishAll(seq);
  }

  /**
   * The journal sequence of the last applied command. Any thread; no lock.
   *
   * @return the sequence (0 before the first)
   */
  public long journalSeq() {
    return journalSeq;
  }
}
