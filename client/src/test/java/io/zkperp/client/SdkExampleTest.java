package io.zkperp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.OrderMessage.Side;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of {@code client/README.md}, run against a real demo node; the README's code
 * block must be exactly the body of {@link #example} (so the documented example cannot rot).
 */
class SdkExampleTest {
  @TempDir Path dir;

  /** What the example printed, in order. */
  private final List<String> printed = new ArrayList<>();

  private void println(String s) {
    printed.add(s);
  }

  void example(URI url) throws Exception {
    // README-BEGIN
    ZkPerpClient client = new ZkPerpClient(url); // e.g. http://127.0.0.1:8545/
    EdDsaPrivateKey key = ZkPerpClient.demoKey(1); // demo account 1's well-known key
    JsonNode markets = client.getMarkets(); // [{market, tickSize, stepSize, minSize}, ...]
    println("markets: " + markets.size());
    // BUY 1 on market 2 at 1000; the nonce comes from perp_getNonces
    JsonNode placed = client.placeOrder(key, Order.limit(1, 2, Side.BUY, 1, 1000));
    long orderId = placed.get("orderId").asLong();
    println(placed.get("status").asText()); // OPEN: it rests in the book
    JsonNode book = client.getOrderBook(2, 10);
    println("best bid " + book.at("/bids/0/price").asLong());
    client.cancelOrder(key, 1, orderId);
    try {
      client.placeOrder(key, Order.limit(1, 1, Side.BUY, 10, 10_005)); // tick size of market 1: 10
    } catch (ZkPerpRpcException e) {
      println(e.code() + " " + e.name()); // 1201 PRICE_NOT_TICK_MULTIPLE
    }
    // README-END
  }

  @Test
  void theReadmeExampleRunsAgainstTheDemoNode() throws Exception {
    try (GatewayNode node =
        GatewayNode.open(dir, GatewayConfig.defaults(0), () -> System.currentTimeMillis() / 1000)) {
      example(URI.create("http://127.0.0.1:" + node.gateway().port() + "/"));
      assertThat(printed)
          .containsExactly("markets: 2", "OPEN", "best bid 1000", "1201 PRICE_NOT_TICK_MULTIPLE");
      assertThat(node.gateway().readModel().openOrders(1, -1)).isEmpty(); // cancelled
    }
  }

  @Test
  void theReadmeShowsExactlyThisExample() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/zkperp/client/SdkExampleTest.java"));
    String body =
        source.substring(
            source.indexOf("// README-BEGIN\n") + "// README-BEGIN\n".length(),
            source.indexOf("    // README-END"));
    String readme = Files.readString(Path.of("README.md"));
    String block =
        readme.substring(
            readme.indexOf("```java\n") + "```java\n".length(),
            readme.indexOf("```", readme.indexOf("```java\n") + 1));
    assertThat(strip(block)).isEqualTo(strip(body).replace("println(", "System.out.println("));
  }

  private static String strip(String code) {
    return code.lines().map(String::strip).collect(Collectors.joining("\n")).strip();
  }
}
