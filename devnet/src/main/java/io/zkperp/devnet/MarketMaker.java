package io.zkperp.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.client.Order;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.ZkPerpRpcException;
import io.zkperp.gateway.node.PeriodicThread;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.OrderMessage.Side;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devnet's market maker: a trader like any other, with its own L1 deposit and L2 key, that
 * quotes both sides of every listed market through the JSON-RPC gateway with the client SDK (signed
 * orders, signed cancel-alls). Each step it compares every market's oracle price with the price it
 * quoted at; when the price moved, or when fewer than two of its orders rest in the market (a
 * trader took one), it cancels its orders in that market (by order id, since a signed cancel is
 * single-use; on its first step a cancel-all removes the quotes a restart recovered) and places a
 * bid {@link #SPREAD_PPM} ppm below and an ask as far above (rounded outwards to the tick, at least
 * one tick away), each of {@link #QUOTE_LOTS} minimum sizes. Nonces are counted locally from {@code
 * perp_getNonces}.
 *
 * <p>Threads: {@link #step} from one thread at a time (its own thread once {@link #start}ed);
 * {@link #start} and {@link #close} from the controlling thread; counters from any thread.
 */
final class MarketMaker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MarketMaker.class);

  private final PeriodicThread loop = new PeriodicThread("devnet-market-maker", this::step, LOG);

  /** Half the quoted spread, ppm of the oracle price. */
  static final long SPREAD_PPM = 1_000;

  /** The gateway's error for a cancel whose validity reaches back before its restart. */
  private static final int CANCEL_VALIDITY_OUT_OF_WINDOW = 5001;

  /** Each quote's size, in minimum order sizes. */
  static final long QUOTE_LOTS = 10;

  private final ZkPerpClient client;
  private final EdDsaPrivateKey key;
  private final int account;
  private final IntToLongFunction oraclePrice;
  private final Map<Integer, long[]> markets = new HashMap<>(); // market -> {tick, min}
  private final Map<Integer, Long> quotedAt = new HashMap<>();
  private final AtomicLong requotes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Map<Integer, List<Long>> orders = new HashMap<>(); // market -> resting ids
  private boolean cleared;
  private long nonce = -1;

  MarketMaker(
      ZkPerpClient client, EdDsaPrivateKey key, int account, IntToLongFunction oraclePrice) {
    this.client = client;
    this.key = key;
    this.account = account;
    this.oraclePrice = oraclePrice;
  }

  /**
   * One pass over every listed market (see the class comment).
   *
   * @throws InterruptedException if interrupted
   */
  void step() throws InterruptedException {
    try {
      if (markets.isEmpty()) {
        for (JsonNode m : client.getMarkets()) {
          markets.put(
              m.path("market").asInt(),
              new long[] {m.path("tickSize").asLong(), m.path("minSize").asLong()});
        }
      }
      if (nonce < 0) {
        nonce = client.getNonces(key, account).path("nextNonce").asLong();
      }
      if (!cleared) {
        // quotes of an earlier run rest in the recovered book: cancel them once
        client.cancelAll(key, account, null);
        cleared = true;
      }
      Map<Integer, Integer> resting = new HashMap<>();
      for (JsonNode o : client.getOpenOrders(key, account)) {
        resting.merge(o.path("market").asInt(), 1, Integer::sum);
      }
      for (Map.Entry<Integer, long[]> e : markets.entrySet()) {
        int market = e.getKey();
        long price = oraclePrice.applyAsLong(market);
        if (price <= 0) {
          continue;
        }
        Long last = quotedAt.get(market);
        if (last != null && last == price && resting.getOrDefault(market, 0) >= 2) {
          continue;
        }
        quote(market, price, e.getValue()[0], e.getValue()[1]);
      }
    } catch (ZkPerpRpcException e) {
      if (e.code() == CANCEL_VALIDITY_OUT_OF_WINDOW) {
        // in the first second after the node (re)started, the gateway refuses cancels signed with
        // validUntil = now + 300; the next step succeeds
        LOG.debug("market maker: gateway restarted this second; cancelling at the next step");
        return;
      }
      failures.incrementAndGet();
      nonce = -1; // re-read: a refused order may have left the count behind
      LOG.warn("market maker: {} {}: {}", e.code(), e.name(), e.getMessage());
    } catch (IOException e) {
      failures.incrementAndGet();
      LOG.warn("market maker: gateway not reachable: {}", e.toString());
    }
  }

  private void quote(int market, long price, long tick, long minSize)
      throws ZkPerpRpcException, IOException, InterruptedException {
    // Cancel by order id: a signed cancel is single-use, and two cancel-alls of one market signed
    // in the same second would be the same message (the second refused CANCEL_REPLAYED).
    List<Long> mine = orders.computeIfAbsent(market, m -> new ArrayList<>());
    for (long id : mine) {
      try {
        client.cancelOrder(key, account, id);
      } catch (ZkPerpRpcException e) {
        LOG.debug("market maker: order {} not cancelled ({}): filled already", id, e.name());
      }
    }
    mine.clear();
    long half = Math.max(tick, price / 1_000_000 * SPREAD_PPM);
    long bid = Math.floorDiv(price - half, tick) * tick;
    long ask = Math.ceilDiv(price + half, tick) * tick;
    long size = QUOTE_LOTS * minSize;
    JsonNode b =
        client.placeOrder(
            key, Order.limit(account, market, Side.BUY, size, bid).withNonce(nonce++));
    mine.add(b.path("orderId").asLong());
    JsonNode a =
        client.placeOrder(
            key, Order.limit(account, market, Side.SELL, size, ask).withNonce(nonce++));
    mine.add(a.path("orderId").asLong());
    quotedAt.put(market, price);
    requotes.incrementAndGet();
  }

  /**
   * Requotes done since start.
   *
   * @return the count
   */
  long requotes() {
    return requotes.get();
  }

  /**
   * Steps that failed (refused or unreachable) since start.
   *
   * @return the count
   */
  long failures() {
    return failures.get();
  }

  /**
   * Starts the quoting thread ({@code devnet-market-maker}).
   *
   * @param intervalMillis the period
   */
  synchronized void start(long intervalMillis) {
    loop.start(intervalMillis, true);
  }

  /** Stops the thread and waits for it (at most 15 s). Controlling thread; idempotent. */
  @Override
  public synchronized void close() {
    loop.close();
  }
}
