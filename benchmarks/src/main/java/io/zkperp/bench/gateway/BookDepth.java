package io.zkperp.bench.gateway;

import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.LoadGenerator;
import io.zkperp.gateway.node.PlaceOrderRequest;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Gives a market's book depth before the readers run: {@code levels} resting bids at prices 990,
 * 989, … and as many asks at 1010, 1011, …, size 1 each, from demo accounts in turn, signed with
 * their demo keys. They sit outside the 995–1005 band the load generator trades in, so they stay
 * while it runs, and a reader asking for depth 50 gets 50 levels a side (the load generator's own
 * orders give at most 11 levels in all). Driver thread.
 */
final class BookDepth {
  private BookDepth() {}

  /**
   * Places the orders, one at a time, and requires each to be accepted.
   *
   * @param url the node
   * @param market the market
   * @param levels the levels per side, ≥ 0, at most 900
   * @param accounts demo accounts 0 … accounts−1 place them
   * @throws IOException if the node cannot be reached or refuses an order
   * @throws InterruptedException if interrupted
   */
  static void place(URI url, int market, int levels, int accounts)
      throws IOException, InterruptedException {
    if (levels < 0 || levels > 900) {
      throw new IllegalArgumentException("levels must be 0 to 900, got " + levels);
    }
    MessageDomain domain = LoadGenerator.domain(url);
    // above every nonce the load generator used so far (its runs start from the clock × 100)
    long nonceBase = System.currentTimeMillis() * 100;
    try (KeepAliveHttp http = new KeepAliveHttp(url, 10_000)) {
      for (int i = 0; i < 2 * levels; i++) {
        boolean sell = i % 2 == 1;
        long price = sell ? 1010 + i / 2 : 990 - i / 2;
        int account = i % accounts;
        long nonce = nonceBase + i / accounts;
        PlaceOrder o =
            OrderSigning.sign(
                GatewayNode.demoKey(account),
                domain,
                new PlaceOrder(
                    account,
                    market,
                    sell ? Side.SELL : Side.BUY,
                    (int) nonce,
                    OrderType.LIMIT,
                    TimeInForce.GTC,
                    false,
                    1,
                    price,
                    1000,
                    4_000_000_000L,
                    nonce,
                    TriggerType.NONE,
                    0,
                    new byte[64]));
        String body = PlaceOrderRequest.body(1, o);
        KeepAliveHttp.Answer a = http.post(body.getBytes(StandardCharsets.UTF_8));
        if (a.status() != 200 || !a.text().contains("\"result\"")) {
          throw new IOException("a depth order was refused: " + a.text());
        }
      }
    }
  }
}
