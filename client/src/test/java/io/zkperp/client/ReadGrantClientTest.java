package io.zkperp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.OrderMessage.Side;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK signs an account's read grant with the key it is given, reuses it until it nears expiry,
 * and reads the account's private data with it from a real demo node; another account's key is
 * refused.
 */
class ReadGrantClientTest {
  @TempDir Path dir;

  @Test
  void privateReadsUseOneGrantUntilItNearsExpiry() throws Exception {
    long start = System.currentTimeMillis() / 1000;
    AtomicLong clock = new AtomicLong(start);
    try (GatewayNode node = GatewayNode.open(dir, GatewayConfig.defaults(0), clock::get)) {
      URI url = URI.create("http://127.0.0.1:" + node.gateway().port() + "/");
      ZkPerpClient client = new ZkPerpClient(url, clock::get);
      EdDsaPrivateKey key = ZkPerpClient.demoKey(1);

      ObjectNode grant = client.readGrant(key, 1);
      assertThat(grant.path("account").asInt()).isEqualTo(1);
      assertThat(grant.path("validUntil").asLong())
          .isEqualTo(start + ZkPerpClient.GRANT_VALIDITY_SECONDS);
      assertThat(client.readGrant(key, 1)).as("reused").isEqualTo(grant);

      // an order placed without a nonce: the nonce lookup goes with the grant too
      JsonNode placed = client.placeOrder(key, Order.limit(1, 2, Side.BUY, 1, 1000));
      JsonNode open = client.getOpenOrders(key, 1);
      assertThat(open).hasSize(1);
      assertThat(open.get(0).path("orderId").asLong()).isEqualTo(placed.path("orderId").asLong());
      assertThat(client.getNonces(key, 1).path("highestNonce").asLong()).isEqualTo(1);
      assertThat(client.getAccount(key, 1).path("account").asInt()).isEqualTo(1);
      assertThat(client.getFills(key, 1, 10).path("fills")).isEmpty();
      assertThat(client.readGrant(key, 1)).as("still the same grant").isEqualTo(grant);

      // near expiry (within GRANT_RENEW_SECONDS) a new grant is signed, and it is accepted
      clock.set(start + ZkPerpClient.GRANT_VALIDITY_SECONDS - ZkPerpClient.GRANT_RENEW_SECONDS);
      ObjectNode renewed = client.readGrant(key, 1);
      assertThat(renewed.path("validUntil").asLong())
          .isEqualTo(clock.get() + ZkPerpClient.GRANT_VALIDITY_SECONDS);
      assertThat(renewed.path("signature")).isNotEqualTo(grant.path("signature"));
      assertThat(client.getOpenOrders(key, 1)).hasSize(1);

      // another account's key: READ_GRANT_INVALID, for a read and for the nonce of an order
      EdDsaPrivateKey other = ZkPerpClient.demoKey(2);
      assertThatThrownBy(() -> client.getAccount(other, 1))
          .isInstanceOfSatisfying(
              ZkPerpRpcException.class,
              e -> {
                assertThat(e.code()).isEqualTo(5104);
                assertThat(e.name()).isEqualTo("READ_GRANT_INVALID");
              });
      assertThatThrownBy(() -> client.placeOrder(other, Order.limit(1, 2, Side.BUY, 1, 990)))
          .isInstanceOfSatisfying(
              ZkPerpRpcException.class, e -> assertThat(e.code()).isEqualTo(5104));
      // the right key still reads (the grant cache follows the key)
      assertThat(client.getOpenOrders(key, 1)).hasSize(1);
    }
  }
}
