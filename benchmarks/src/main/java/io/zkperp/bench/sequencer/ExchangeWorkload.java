package io.zkperp.bench.sequencer;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.CancelOrder;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Pre-generates the exchange-core single-market workload: about 9% GTC, 3% IOC, 6% cancel and 82%
 * cancel-replace (exchange-core's "move"), around {@code targetResting} resting orders from {@code
 * accounts} accounts. The generator keeps its own model, a core on the <em>naive</em> reference
 * book, to pick live orders to cancel and move, and records the model's final book and state hash:
 * the expectation the benchmarked (optimised) core must reproduce exactly.
 */
final class ExchangeWorkload {
  static final int MARKET = 1;
  static final long MID = 1_000_000;

  /**
   * The fee cap every order signs, ppm of the fill notional: the risk engine refuses an order whose
   * account tier charges a positive maker or taker rate above it, and the benchmarks' tier charges
   * at most 500 ppm (taker; maker −100).
   */
  static final long FEE_CAP_PPM = 500;

  static final long FAR_FUTURE = 4_000_000_000L;

  final Command[] commands;
  final int prefix;
  final List<String> expectedBook;
  final String expectedStateHash;
  final long expectedFills;
  final Map<String, Integer> mix;
  final int rejectedInModel;
  final int accounts;

  private final SplittableRandom rnd;
  private final byte[] signature = new byte[PlaceOrder.SIGNATURE_BYTES];
  private final long[] nonces;
  private final int[] clientIds;
  private final LiveOrders live = new LiveOrders();
  private long fills;

  ExchangeWorkload(long seed, int measured, int accounts, int targetResting) {
    this.accounts = accounts;
    mix = new HashMap<>();
    rnd = new SplittableRandom(seed);
    nonces = new long[accounts];
    clientIds = new int[accounts];
    CoreListener tracker =
        new CoreListener() {
          @Override
          public void onOrderClosed(Order order, CloseReason reason) {
            live.remove(key(order.account, order.clientOrderId));
          }

          @Override
          public void onFill(Order maker, Order taker, long price, long size) {
            fills++;
          }
        };
    SequencerCore model =
        new SequencerCore(
            OrderBookFactory.NAIVE, SelfTradePrevention.EXPIRE_MAKER, RiskHook.PERMISSIVE, tracker);
    List<Command> out = new ArrayList<>(measured + targetResting + 2);
    int rejected = apply(model, new AddMarket(MARKET, 1, 1, 1), out);
    rejected += apply(model, new Tick(1_000), out);
    while (live.size() < targetResting) {
      rejected += apply(model, gtc(accounts, false), out);
    }
    if (rejected != 0) {
      throw new IllegalStateException("the workload prefix must be accepted in full");
    }
    prefix = out.size();
    for (int i = 0; i < measured; i++) {
      int r = rnd.nextInt(100);
      Command c;
      if (r < 9 || live.size() == 0) {
        c = gtc(accounts, live.size() > targetResting && rnd.nextInt(4) == 0);
        mix.merge("GTC", 1, Integer::sum);
      } else if (r < 12) {
        c = ioc(accounts);
        mix.merge("IOC", 1, Integer::sum);
      } else if (r < 18) {
        long k = live.random(rnd);
        c = new CancelOrder(account(k), true, clientId(k));
        mix.merge("cancel", 1, Integer::sum);
      } else {
        c = move(model, live.random(rnd));
        mix.merge("cancel-replace", 1, Integer::sum);
      }
      rejected += apply(model, c, out);
    }
    rejectedInModel = rejected;
    commands = out.toArray(new Command[0]);
    expectedBook = bookOf(model);
    expectedStateHash = CoreState.hashHex(model);
    expectedFills = fills;
  }

  /** A workload read back from a file ({@link WorkloadFile}): no generator state. */
  ExchangeWorkload(
      Command[] commands,
      int prefix,
      int accounts,
      List<String> expectedBook,
      String expectedStateHash,
      long expectedFills,
      Map<String, Integer> mix,
      int rejectedInModel) {
    this.commands = commands;
    this.prefix = prefix;
    this.accounts = accounts;
    this.expectedBook = expectedBook;
    this.expectedStateHash = expectedStateHash;
    this.expectedFills = expectedFills;
    this.mix = mix;
    this.rejectedInModel = rejectedInModel;
    this.rnd = null;
    this.nonces = null;
    this.clientIds = null;
  }

  static List<String> bookOf(SequencerCore core) {
    List<String> book = new ArrayList<>();
    core.book(MARKET)
        .forEach(
            o ->
                book.add(
                    o.orderId
                        + " "
                        + o.account
                        + " "
                        + o.side
                        + " "
                        + o.remaining
                        + "@"
                        + o.price));
    return book;
  }

  private int apply(SequencerCore model, Command c, List<Command> out) {
    out.add(c);
    boolean ok = model.apply(c);
    PlaceOrder placed =
        switch (c) {
          case PlaceOrder p -> p;
          case CancelReplace r -> r.replacement();
          default -> null;
        };
    if (ok
        && placed != null
        && model.orderByClientId(placed.account(), placed.clientOrderId()) != null) {
      live.add(key(placed.account(), placed.clientOrderId()));
    }
    return ok ? 0 : 1;
  }

  private PlaceOrder gtc(int accounts, boolean aggressive) {
    int account = rnd.nextInt(accounts);
    Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
    long offset = aggressive ? -rnd.nextInt(1, 5) : rnd.nextInt(1, 200);
    long price = side == Side.BUY ? MID - offset : MID + offset;
    return order(account, side, price, TimeInForce.GTC, ++clientIds[account]);
  }

  private PlaceOrder ioc(int accounts) {
    int account = rnd.nextInt(accounts);
    Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
    long through = rnd.nextInt(1, 30);
    long price = side == Side.BUY ? MID + through : MID - through;
    return order(account, side, price, TimeInForce.IOC, ++clientIds[account]);
  }

  private Command move(SequencerCore model, long k) {
    Order o = model.orderByClientId(account(k), clientId(k));
    long price = o.price + rnd.nextInt(-3, 4);
    // stay on the passive side of the mid, as exchange-core's moves mostly do
    price = o.isBuy() ? Math.min(price, MID - 1) : Math.max(price, MID + 1);
    PlaceOrder p = order(o.account, o.side, price, TimeInForce.GTC, o.clientOrderId);
    return new CancelReplace(o.account, true, Integer.toUnsignedLong(o.clientOrderId), p);
  }

  private PlaceOrder order(int account, Side side, long price, TimeInForce tif, int clientId) {
    return new PlaceOrder(
        account,
        MARKET,
        side,
        clientId,
        OrderType.LIMIT,
        tif,
        false,
        rnd.nextInt(1, 100),
        price,
        FEE_CAP_PPM,
        FAR_FUTURE,
        ++nonces[account],
        TriggerType.NONE,
        0,
        signature);
  }

  private static long key(int account, int clientId) {
    return ((long) account << 32) | Integer.toUnsignedLong(clientId);
  }

  private static int account(long key) {
    return (int) (key >>> 32);
  }

  private static int clientId(long key) {
    return (int) key;
  }

  /** The generator's set of live (account, client id) keys with O(1) random pick. */
  private static final class LiveOrders {
    private long[] keys = new long[4096];
    private int size;
    private final Map<Long, Integer> index = new HashMap<>();

    int size() {
      return size;
    }

    void add(long k) {
      if (index.containsKey(k)) {
        return;
      }
      if (size == keys.length) {
        keys = java.util.Arrays.copyOf(keys, size * 2);
      }
      index.put(k, size);
      keys[size++] = k;
    }

    void remove(long k) {
      Integer i = index.remove(k);
      if (i == null) {
        return;
      }
      long last = keys[--size];
      if (i < size) {
        keys[i] = last;
        index.put(last, i);
      }
    }

    long random(SplittableRandom rnd) {
      return keys[rnd.nextInt(size)];
    }
  }
}
