package io.zkperp.sequencer.book;

import io.zkperp.sequencer.SelfTradePrevention;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The reference book: one list per side, re-sorted (stably, by price only) after every insert, so
 * time priority is simply list order. Obviously correct and slow; the optimised book must behave
 * identically. Confined to the core thread.
 */
public final class NaiveOrderBook implements OrderBook {
  private static final Comparator<Order> BIDS_BEST_FIRST = (a, b) -> Long.compare(b.price, a.price);
  private static final Comparator<Order> ASKS_BEST_FIRST = (a, b) -> Long.compare(a.price, b.price);

  private final int market;
  private final List<Order> bids = new ArrayList<>();
  private final List<Order> asks = new ArrayList<>();

  /**
   * Creates an empty book.
   *
   * @param market the market id
   */
  public NaiveOrderBook(int market) {
    this.market = market;
  }

  @Override
  public int match(Order taker, SelfTradePrevention stp, MatchListener listener) {
    List<Order> opposite = taker.isBuy() ? asks : bids;
    int i = 0;
    while (taker.remaining > 0 && i < opposite.size()) {
      Order maker = opposite.get(i);
      if (!crosses(taker.isBuy(), taker.price, maker.price)) {
        break;
      }
      if (maker.account == taker.account) {
        if (stp == SelfTradePrevention.EXPIRE_TAKER) {
          return STOPPED_BY_SELF_TRADE;
        }
        opposite.remove(i);
        listener.onMakerRemoved(maker, true);
        if (stp == SelfTradePrevention.EXPIRE_BOTH) {
          return STOPPED_BY_SELF_TRADE;
        }
        continue;
      }
      long fill = Math.min(maker.remaining, taker.remaining);
      if (!listener.admitMaker(maker, maker.price, fill)) {
        opposite.remove(i);
        listener.onMakerRejected(maker);
        continue;
      }
      if (!listener.admitTaker(taker, maker.price, fill)) {
        return STOPPED_BY_TAKER_CHECK;
      }
      maker.remaining -= fill;
      taker.remaining -= fill;
      listener.onFill(maker, taker, maker.price, fill);
      if (maker.remaining == 0) {
        opposite.remove(i);
        listener.onMakerRemoved(maker, false);
      } else {
        i++;
      }
    }
    return MATCHED;
  }

  @Override
  public void add(Order order) {
    if (order.market != market) {
      throw new IllegalArgumentException(order + " is not in market " + market);
    }
    List<Order> side = order.isBuy() ? bids : asks;
    side.add(order);
    side.sort(order.isBuy() ? BIDS_BEST_FIRST : ASKS_BEST_FIRST);
  }

  @Override
  public void remove(Order order) {
    List<Order> side = order.isBuy() ? bids : asks;
    for (int i = 0; i < side.size(); i++) {
      if (side.get(i) == order) {
        side.remove(i);
        return;
      }
    }
    throw new IllegalArgumentException(order + " is not on the book of market " + market);
  }

  @Override
  public long fillable(
      boolean takerIsBuy,
      long limitPrice,
      int account,
      SelfTradePrevention stp,
      long excludeOrderId,
      long wanted,
      MatchListener admit) {
    long total = 0;
    for (Order maker : takerIsBuy ? asks : bids) {
      if (total >= wanted || !crosses(takerIsBuy, limitPrice, maker.price)) {
        break;
      }
      if (maker.orderId == excludeOrderId) {
        continue;
      }
      if (maker.account == account) {
        if (stp == SelfTradePrevention.EXPIRE_MAKER) {
          continue;
        }
        break;
      }
      if (admit != null
          && !admit.admitMaker(maker, maker.price, Math.min(maker.remaining, wanted - total))) {
        continue;
      }
      total += maker.remaining;
    }
    return Math.min(total, wanted);
  }

  @Override
  public boolean wouldCross(boolean isBuy, long price, long excludeOrderId) {
    for (Order maker : isBuy ? asks : bids) {
      if (maker.orderId != excludeOrderId) {
        return crosses(isBuy, price, maker.price);
      }
    }
    return false;
  }

  @Override
  public long bestBid() {
    return bids.isEmpty() ? 0 : bids.get(0).price;
  }

  @Override
  public long bestAsk() {
    return asks.isEmpty() ? 0 : asks.get(0).price;
  }

  @Override
  public int orderCount() {
    return bids.size() + asks.size();
  }

  @Override
  public void forEach(Consumer<Order> visitor) {
    bids.forEach(visitor);
    asks.forEach(visitor);
  }

  private static boolean crosses(boolean takerIsBuy, long takerPrice, long makerPrice) {
    return takerIsBuy ? makerPrice <= takerPrice : makerPrice >= takerPrice;
  }
}
