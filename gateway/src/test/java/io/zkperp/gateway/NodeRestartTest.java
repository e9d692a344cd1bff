package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.sequencer.Side;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo node on a data directory: orders placed, node stopped, node started again on the same
 * directory: markets, book and open orders read the same, the core remembers the nonces, and new
 * orders continue the order ids.
 */
class NodeRestartTest {
  @TempDir Path dir;

  private static JsonNode call(GatewayNode node, String method, String params) throws Exception {
    return DemoNodeRpc.call(node, method, params);
  }

  private static String order(int account, Side side, long size, long price, long nonce) {
    return DemoNodeRpc.params(
        DemoNodeRpc.limitOrder(account, account, 1, side, size, price, nonce));
  }

  @Test
  void restartRecoversCoreAndReadModelFromTheJournal() throws Exception {
    GatewayConfig config = GatewayConfig.defaults(0);
    JsonNode markets;
    JsonNode book;
    JsonNode open;
    long price1;
    long price2;
    try (GatewayNode node = GatewayNode.open(dir, config, () -> 1_700_000_000L)) {
      price1 = node.priceFeed().lastAcceptedPrice(1);
      price2 = node.priceFeed().lastAcceptedPrice(2);
      assertThat(price1).isPositive();
      assertThat(price2).isPositive();
      markets = call(node, "perp_getMarkets", null).path("result");
      assertThat(markets).hasSize(2);
      assertThat(call(node, "perp_placeOrder", order(0, Side.SELL, 30, 10_000, 1)).has("result"))
          .isTrue();
      assertThat(call(node, "perp_placeOrder", order(1, Side.BUY, 10, 10_000, 1)).has("result"))
          .isTrue();
      assertThat(call(node, "perp_placeOrder", order(2, Side.BUY, 15, 9_800, 1)).has("result"))
          .isTrue();
      book = call(node, "perp_getOrderBook", "{\"market\":1}").path("result");
      open =
          call(node, "perp_getOpenOrders", TestGrants.demoJson(0, 1_700_000_000L)).path("result");
      assertThat(book.path("asks").get(0).path("size").asLong()).isEqualTo(20);
    }
    try (GatewayNode node = GatewayNode.open(dir, config, () -> 1_700_000_000L)) {
      // the clock has not moved: the feed submits nothing, the recovered prices are in use
      assertThat(node.priceFeed().lastAcceptedPrice(1)).isEqualTo(price1);
      assertThat(node.priceFeed().lastAcceptedPrice(2)).isEqualTo(price2);
      assertThat(node.priceFeed().acceptedBatches()).isZero();
      assertThat(call(node, "perp_getMarkets", null).path("result")).isEqualTo(markets);
      assertThat(call(node, "perp_getOrderBook", "{\"market\":1}").path("result")).isEqualTo(book);
      assertThat(
              call(node, "perp_getOpenOrders", TestGrants.demoJson(0, 1_700_000_000L))
                  .path("result"))
          .isEqualTo(open);
      // the core was recovered too: account 1's nonce 1 is spent, ids continue
      assertThat(
              call(node, "perp_placeOrder", order(1, Side.BUY, 10, 9_900, 1))
                  .path("error")
                  .path("data")
                  .path("error")
                  .asText())
          .isEqualTo("NONCE_REPLAYED");
      JsonNode next = call(node, "perp_placeOrder", order(1, Side.BUY, 10, 9_900, 2));
      assertThat(next.path("result").path("orderId").asLong()).isEqualTo(4);
      // 2 markets, 10 deposits, the fund's top-up, a tick and 2 signed prices, 3 orders: 19
      assertThat(next.path("result").path("journalSeq").asLong()).isEqualTo(20);
    }
  }
}
