package io.zkperp.sequencer.book;

import io.zkperp.sequencer.SelfTradePrevention;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The production book: each side is a {@link PriceLevelArray} (sorted array of levels, best at the
 * end); each level is an intrusive doubly linked FIFO of {@link Order}s, so removing an order is
 * O(1) and nothing is allocated per order. Empty levels go back to a pool. Confined to the core
 * thread.
 */
public final class OptimisedOrderBook implements OrderBook {
  private final int market;
  private final PriceLevelArray bids = new PriceLevelArray(true);
  private final PriceLevelArray asks = new PriceLevelArray(false);
  private final ArrayDeque<PriceLevel> levelPool = new ArrayDeque<>();
  private int orderCount;

  /**
   * Creates an empty book.
   *
   * @param market the market id
   */
  public OptimisedOrderBook(int market) {
    this.market = market;
  }

  @Override
  public int match(Order taker, SelfTradePrevention stp, MatchListener listener) {
    boolean takerIsBuy = taker.isBuy();
    PriceLevelArray opposite = takerIsBuy ? asks : bids;
    while (taker.remaining > 0 && opposite.size() > 0) {
      PriceLevel level = opposite.best();
      if (!crosses(takerIsBuy, taker.price, level.price)) {
        break;
      }
      Order maker = level.head;
      while (maker != null && taker.remaining > 0) {
        Order next = maker.next;
        if (maker.account == taker.account) {
          if (stp == SelfTradePrevention.EXPIRE_TAKER) {
            return STOPPED_BY_SELF_TRADE;
          }
          level.unlink(maker);
          orderCount--;
          if (level.isEmpty()) {
            releaseBest(opposite, level);
          }
          listener.onMakerRemoved(maker, true);
          if (stp == SelfTradePrevention.EXPIRE_BOTH) {
            return STOPPED_BY_SELF_TRADE;
          }
          maker = next;
          continue;
        }
        long fill = Math.min(maker.remaining, taker.remaining);
        if (!listener.admitMaker(maker, level.price, fill)) {
          level.unlink(maker);
          orderCount--;
          if (level.isEmpty()) {
            releaseBest(opposite, level);
          }
          listener.onMakerRejected(maker);
          maker = next;
          continue;
        }
        if (!listener.admitTaker(taker, level.price, fill)) {
          return STOPPED_BY_TAKER_CHECK;
        }
        maker.remaining -= fill;
        taker.remaining -= fill;
        listener.onFill(maker, taker, level.price, fill);
        if (maker.remaining == 0) {
          level.unlink(maker);
          orderCount--;
          if (level.isEmpty()) {
            releaseBest(opposite, level);
          }
          listener.onMakerRemoved(maker, false);
        }
        maker = next;
      }
    }
    return MATCHED;
  }

  private void releaseBest(PriceLevelArray side, PriceLevel level) {
    side.removeBest();
    level.head = null;
    level.tail = null;
    levelPool.addLast(level);
  }

  @Override
  public void add(Order order) {
    if (order.market != market) {
      throw new IllegalArgumentException(order + " is not in market " + market);
    }
    PriceLevelArray side = order.isBuy() ? bids : asks;
    int index = side.search(order.price);
    PriceLevel level;
    if (index >= 0) {
      level = side.fromBest(side.size() - 1 - index);
    } else {
      level = levelPool.pollLast();
      if (level == null) {
        level = new PriceLevel();
      }
      level.price = order.price;
      side.insert(-index - 1, level);
    }
    level.append(order);
    orderCount++;
  }

  @Override
  public void remove(Order order) {
    PriceLevel level = order.level;
    if (level == null) {
      throw new IllegalArgumentException(order + " is not on the book of market " + market);
    }
    level.unlink(order);
    orderCount--;
    if (level.isEmpty()) {
      PriceLevelArray side = order.isBuy() ? bids : asks;
      side.removeAt(side.search(level.price));
      levelPool.addLast(level);
    }
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
    PriceLevelArray opposite = takerIsBuy ? asks : bids;
    long total = 0;
    for (int i = 0; i < opposite.size() && total < wanted; i++) {
      PriceLevel level = opposite.fromBest(i);
      if (!crosses(takerIsBuy, limitPrice, level.price)) {
        break;
      }
      for (Order maker = level.head; maker != null && total < wanted; maker = maker.next) {
        if (maker.orderId == excludeOrderId) {
          continue;
        }
        if (maker.account == account) {
          if (stp == SelfTradePrevention.EXPIRE_MAKER) {
            continue;
          }
          return Math.min(total, wanted);
        }
        if (admit != null
            && !admit.admitMaker(maker, level.price, Math.min(maker.remaining, wanted - total))) {
          continue;
        }
        total += maker.remaining;
      }
    }
    return Math.min(total, wanted);
  }

  @Override
  public boolean wouldCross(boolean isBuy, long price, long excludeOrderId) {
    PriceLevelArray opposite = isBuy ? asks : bids;
    for (int i = 0; i < opposite.size(); i++) {
      PriceLevel level = opposite.fromBest(i);
      for (Order maker = level.head; maker != null; maker = maker.next) {
        if (maker.orderId != excludeOrderId) {
          return crosses(isBuy, price, level.price);
        }
      }
    }
    return false;
  }

  @Override
  public long bestBid() {
    return bids.size() == 0 ? 0 : bids.best().price;
  }

  @Override
  public long bestAsk() {
    return asks.size() == 0 ? 0 : asks.best().price;
  }

  @Override
  public int orderCount() {
    return orderCount;
  }

  @Override
  public void forEach(Consumer<Order> visitor) {
    visitSide(bids, visitor);
    visitSide(asks, visitor);
  }

  private static void visitSide(PriceLevelArray side, Consumer<Order> visitor) {
    for (int i = 0; i < side.size(); i++) {
      for (Order o = side.fromBest(i).head; o != null; o = o.next) {
        visitor.accept(o);
      }
    }
  }

  private static boolean crosses(boolean takerIsBuy, long takerPrice, long makerPrice) {
    return takerIsBuy ? makerPrice <= takerPrice : makerPrice >= takerPrice;
  }
}
