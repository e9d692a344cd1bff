package io.zkperp.bench.node;

import io.zkperp.gateway.node.PlaceOrderRequest;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The run's orders, signed: the market maker's resting quotes (a GTC sell at {@link #ASK} and a GTC
 * buy at {@link #BID}, each of {@link #QUOTE_SIZE}), and the traders' orders, all IOC limit orders
 * on {@link #MARKET} of size 1 to 5: with probability {@code crossShare} one that crosses the
 * maker's quote (a buy at {@link #ASK} or a sell at {@link #BID}, so it fills against the maker),
 * else one priced outside the quotes (a buy at 990 to 998 or a sell at 1,002 to 1,010) that the
 * engine takes, journals and cancels unfilled. Nothing of the traders rests, so no account's live
 * orders come near the nonce window (4,096 slots); the book holds the maker's two quotes. Traders
 * take turns; each account's nonces count up from the stream's first nonce (the client order id is
 * the nonce). The choices come from a seeded generator, so the same seed gives the same stream on
 * every node; only the signatures depend on the node's domain. Signing runs in parallel. One
 * thread.
 */
final class OrderStream {
  /** The demo market with tick 1 and step 1. */
  static final int MARKET = 2;

  /** The oracle price the operator feeds. */
  static final long PRICE = 1_000;

  /** The maker's ask. */
  static final long ASK = 1_001;

  /** The maker's bid. */
  static final long BID = 999;

  /** The maker's quote on each side, lots: more than a run's crossing orders take. */
  static final long QUOTE_SIZE = 2_000_000;

  /** The fee cap every order signs, ppm (the demo taker fee is 500). */
  static final long FEE_CAP = 1_000;

  /** The expiry every order signs, unix seconds (far future). */
  static final long EXPIRY = 4_000_000_000L;

  private final RunAccounts accounts;
  private final double crossShare;
  private final SplittableRandom random;
  private final long[] nextNonce;
  private int turn;

  /**
   * A stream.
   *
   * @param accounts the run's accounts
   * @param crossShare the share of trader orders that cross the maker's quotes, 0 to 1
   * @param seed the seed of the choices
   * @param firstNonce every account's first nonce (above any it used before), ≥ 1
   */
  OrderStream(RunAccounts accounts, double crossShare, long seed, long firstNonce) {
    if (firstNonce < 1 || firstNonce > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("firstNonce must be 1 to 2^30, got " + firstNonce);
    }
    if (!(crossShare >= 0 && crossShare <= 1)) {
      throw new IllegalArgumentException("crossShare must be 0 to 1, got " + crossShare);
    }
    this.accounts = accounts;
    this.crossShare = crossShare;
    this.random = new SplittableRandom(seed);
    this.nextNonce = new long[RunAccounts.MAKER + accounts.count()];
    java.util.Arrays.fill(nextNonce, firstNonce);
  }

  /**
   * The maker's two quotes (sell first).
   *
   * @return the unsigned orders
   */
  PlaceOrder[] makerQuotes() {
    return new PlaceOrder[] {
      order(RunAccounts.MAKER, Side.SELL, ASK, QUOTE_SIZE, TimeInForce.GTC),
      order(RunAccounts.MAKER, Side.BUY, BID, QUOTE_SIZE, TimeInForce.GTC)
    };
  }

  /**
   * The next {@code n} trader orders, unsigned.
   *
   * @param n how many
   * @return the orders
   */
  PlaceOrder[] next(int n) {
    PlaceOrder[] out = new PlaceOrder[n];
    for (int i = 0; i < n; i++) {
      int account = accounts.trader(turn);
      turn = (turn + 1) % accounts.traders();
      boolean buy = random.nextBoolean();
      long size = 1 + random.nextInt(5);
      long price;
      if (random.nextDouble() < crossShare) {
        price = buy ? ASK : BID;
      } else {
        price = buy ? 990 + random.nextInt(9) : 1_002 + random.nextInt(9);
      }
      out[i] = order(account, buy ? Side.BUY : Side.SELL, price, size, TimeInForce.IOC);
    }
    return out;
  }

  /**
   * Whether an order of this stream crosses the maker's quotes.
   *
   * @param o an order of {@link #next}
   * @return whether it is a buy at the ask or a sell at the bid
   */
  static boolean crosses(PlaceOrder o) {
    return o.side() == Side.BUY ? o.price() >= ASK : o.price() <= BID;
  }

  private PlaceOrder order(int account, Side side, long price, long size, TimeInForce tif) {
    long nonce = nextNonce[account]++;
    return new PlaceOrder(
        account,
        MARKET,
        side,
        (int) nonce,
        OrderType.LIMIT,
        tif,
        false,
        size,
        price,
        FEE_CAP,
        EXPIRY,
        nonce,
        TriggerType.NONE,
        0,
        new byte[PlaceOrder.SIGNATURE_BYTES]);
  }

  /**
   * Signs orders for a domain, in parallel, each with its account's key.
   *
   * @param orders unsigned orders
   * @param domain the node's domain
   * @return the signed orders, same order
   */
  static PlaceOrder[] sign(PlaceOrder[] orders, MessageDomain domain) {
    PlaceOrder[] out = new PlaceOrder[orders.length];
    IntStream.range(0, orders.length)
        .parallel()
        .forEach(
            i -> {
              EdDsaPrivateKey key = RunAccounts.key(orders[i].account());
              out[i] = OrderSigning.sign(key, domain, orders[i]);
            });
    return out;
  }

  /**
   * The {@code perp_placeOrder} HTTP/1.1 request of a signed order, ready to write.
   *
   * @param id the JSON-RPC id
   * @param o the signed order
   * @return the request bytes
   */
  static byte[] request(long id, PlaceOrder o) {
    return PlaceOrderRequest.http(id, o);
  }
}
