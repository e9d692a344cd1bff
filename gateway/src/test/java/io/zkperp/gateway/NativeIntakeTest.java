package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.PlaceOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order intake with the native verifier against the intake with the Java one: two demo nodes
 * receive the same signed, tampered, forged and malformed orders over HTTP and must give identical
 * answers, books and accounts.
 */
class NativeIntakeTest {
  private static final int ACCOUNTS = 6;
  @TempDir Path nativeDir;
  @TempDir Path javaDir;

  private static JsonNode call(GatewayNode node, String method, String params) throws Exception {
    return DemoNodeRpc.call(node, method, params);
  }

  /** A perp_placeOrder params object; kind 0 honest, 1 bit flip, 2 another key, 3–4 malformed. */
  private static String order(Random rnd, long nonce, int kind) {
    int account = rnd.nextInt(ACCOUNTS);
    Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
    long size = 1 + rnd.nextInt(5);
    long price = 990 + rnd.nextInt(21);
    int signer = kind == 2 ? (account + 1) % ACCOUNTS : account;
    PlaceOrder o = DemoNodeRpc.limitOrder(account, signer, 2, side, size, price, nonce);
    byte[] sig = o.signature();
    switch (kind) {
      case 1 -> sig[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
      case 3 -> java.util.Arrays.fill(sig, 0, 32, (byte) 0xff); // R's y ≥ r
      case 4 -> java.util.Arrays.fill(sig, 32, 64, (byte) 0); // S = 0
      default -> {}
    }
    return DemoNodeRpc.params(o.withSignature(sig));
  }

  @Test
  void nativeAndJavaIntakesGiveIdenticalAnswers() throws Exception {
    GatewayConfig config = GatewayConfig.defaults(0);
    try (GatewayNode n =
            GatewayNode.open(
                NodeOptions.builder(nativeDir)
                    .config(config)
                    .clockSeconds(() -> 1_700_000_000L)
                    .feedIntervalMillis(0)
                    .demoAccounts(ACCOUNTS)
                    .signatures(SignatureVerifiers.NATIVE)
                    .build());
        GatewayNode j =
            GatewayNode.open(
                NodeOptions.builder(javaDir)
                    .config(config)
                    .clockSeconds(() -> 1_700_000_000L)
                    .feedIntervalMillis(0)
                    .demoAccounts(ACCOUNTS)
                    .signatures(SignatureVerifiers.JAVA)
                    .build())) {
      // the start-up price step's signed oracle batches went through each intake's verifier too
      for (GatewayNode node : List.of(n, j)) {
        assertThat(node.priceFeed().rejectedCommands()).isZero();
        assertThat(node.priceFeed().acceptedBatches()).isEqualTo(DemoMarkets.MARKETS.size());
      }
      Random rnd = new Random(7);
      List<String> errors = new ArrayList<>();
      int accepted = 0;
      for (int i = 0; i < 150; i++) {
        int kind = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(4) : 0;
        String params = order(rnd, 1 + i, kind);
        JsonNode a = call(n, "perp_placeOrder", params);
        JsonNode b = call(j, "perp_placeOrder", params);
        assertThat(a).as("order %d (kind %d): %s", i, kind, params).isEqualTo(b);
        if (a.has("result")) {
          accepted++;
          assertThat(kind).as("order %d was accepted", i).isZero();
        } else {
          errors.add(a.path("error").path("data").path("error").asText());
        }
      }
      assertThat(accepted).isGreaterThan(60);
      assertThat(errors).contains("BAD_SIGNATURE");
      assertThat(call(n, "perp_getOrderBook", "{\"market\":2}"))
          .isEqualTo(call(j, "perp_getOrderBook", "{\"market\":2}"));
      for (int a = 0; a < ACCOUNTS; a++) {
        String p = TestGrants.demoJson(a, 1_700_000_000L);
        // equity and margins follow each node's own (randomly seeded) price feed; the rest is
        // the order flow's
        JsonNode x = call(n, "perp_getAccount", p).path("result");
        JsonNode y = call(j, "perp_getAccount", p).path("result");
        assertThat(x.path("collateral")).isEqualTo(y.path("collateral"));
        assertThat(x.path("positions")).isEqualTo(y.path("positions"));
        assertThat(call(n, "perp_getFills", p)).isEqualTo(call(j, "perp_getFills", p));
        assertThat(call(n, "perp_getOpenOrders", p)).isEqualTo(call(j, "perp_getOpenOrders", p));
      }
      assertThat(n.gateway().readModel().journalSeq())
          .isEqualTo(j.gateway().readModel().journalSeq());
    }
  }
}
