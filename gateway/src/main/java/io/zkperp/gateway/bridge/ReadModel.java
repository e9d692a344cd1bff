package io.zkperp.gateway.bridge;

import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

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
 * <p>Threads: {@link #apply} from one thread at a time (the sequencer's journal thread); queries
 * from any thread. All methods synchronise on this object; queries copy.
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
   * @param journalSeq the journal sequence of the last command the read model applied
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

    OpenOrder view() {
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

  private final Map<Integer, MarketInfo> markets = new TreeMap<>();
  private final Map<Integer, Book> books = new HashMap<>();
  private final Map<Long, Live> orders = new HashMap<>();
  private final Map<Integer, TreeMap<Long, Live>> byAccount = new HashMap<>();
  private final Map<Integer, Long> highestNonce = new HashMap<>();
  private long journalSeq;

  /** An empty read model. */
  public ReadModel() {}

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
    journalSeq = seq;
    if (command instanceof AddMarket m) {
      markets.put(m.market(), new MarketInfo(m.market(), m.tickSize(), m.stepSize(), m.minSize()));
      books.computeIfAbsent(m.market(), k -> new Book());
    }
    PlaceOrder placed =
        switch (command) {
          case PlaceOrder p -> p;
          case CancelReplace r -> r.replacement();
          case null, default -> null;
        };
    Set<Live> touched = new HashSet<>();
    List<Live> closed = new ArrayList<>();
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
        case SequencerEvent.OrderClosed c -> {
          Live o = orders.remove(c.orderId());
          if (o != null) {
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
    if (changedLevels.isEmpty()) {
      return List.of();
    }
    Map<Integer, List<LevelChange>> byMarket = new TreeMap<>();
    for (LevelKey k : changedLevels) {
      MutableLevel level = books.get(k.market()).side(k.side()).get(k.price());
      byMarket
          .computeIfAbsent(k.market(), m -> new ArrayList<>())
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
    return deltas;
  }

  /**
   * The listed markets, by id. Any thread.
   *
   * @return the markets
   */
  public synchronized List<MarketInfo> markets() {
    return List.copyOf(markets.values());
  }

  /**
   * Whether a market is listed. Any thread.
   *
   * @param market the market id
   * @return true if listed
   */
  public synchronized boolean hasMarket(int market) {
    return markets.containsKey(market);
  }

  /**
   * The book's best levels. Any thread.
   *
   * @param market the market
   * @param depth the most levels per side
   * @return the snapshot (empty sides for an unknown market)
   */
  public synchronized BookSnapshot book(int market, int depth) {
    Book b = books.get(market);
    if (b == null) {
      return new BookSnapshot(market, 0, journalSeq, List.of(), List.of());
    }
    return new BookSnapshot(
        market, b.sequence, journalSeq, levels(b.bids, depth), levels(b.asks, depth));
  }

  private static List<Level> levels(NavigableMap<Long, MutableLevel> side, int depth) {
    List<Level> out = new ArrayList<>(Math.min(depth, side.size()));
    for (Map.Entry<Long, MutableLevel> e : side.entrySet()) {
      if (out.size() == depth) {
        break;
      }
      out.add(new Level(e.getKey(), e.getValue().size, e.getValue().orders));
    }
    return out;
  }

  /**
   * An account's live orders, by order id. Any thread.
   *
   * @param account the account
   * @param market only this market, or -1 for all
   * @return the orders
   */
  public synchronized List<OpenOrder> openOrders(int account, int market) {
    TreeMap<Long, Live> mine = byAccount.get(account);
    if (mine == null) {
      return List.of();
    }
    List<OpenOrder> out = new ArrayList<>();
    for (Live o : mine.values()) {
      if (market < 0 || o.market == market) {
        out.add(o.view());
      }
    }
    return out;
  }

  /**
   * The highest nonce of any order of the account accepted so far (compared as unsigned, as the
   * signed message does). Any thread.
   *
   * @param account the account
   * @return the nonce, or 0 if the account has placed no accepted order
   */
  public synchronized long highestNonce(int account) {
    return highestNonce.getOrDefault(account, 0L);
  }

  /**
   * The journal sequence of the last applied command. Any thread.
   *
   * @return the sequence (0 before the first)
   */
  public synchronized long journalSeq() {
    return journalSeq;
  }
}
