package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The markets stream filtered to one market, on the risk-enabled server of {@link RiskFixtureTest}:
 * the snapshot holds only that market's oracle price, funding index and sequence; then exactly its
 * price and funding ticks arrive, in order, each with the market's sequence + 1, and nothing of the
 * other market. Also the parameter rules of {@code perp_subscribe} for the new channels, and {@code
 * perp_unsubscribe} of an account subscription.
 */
class MarketsStreamTest {
  @TempDir Path dir;

  @Test
  void oneMarketsPricesAndFundingInSequence() throws Exception {
    try (GatewayHarness h =
        new GatewayHarness(
            dir, GatewayConfig.defaults(0), RiskFixtureTest.engine(), RiskFixtureTest.SETUP)) {
      h.submit(new OraclePrice(2, 500, 1_000));
      StreamClient c = StreamClient.connect(h);
      long sub = c.subscribe("{\"channel\":\"markets\",\"market\":2}");
      JsonNode snap = c.next().path("params");
      assertThat(snap.path("subscription").asLong()).isEqualTo(sub);
      assertThat(snap.path("type").asText()).isEqualTo("snapshot");
      assertThat(snap.path("markets")).hasSize(1);
      JsonNode m2 = snap.path("markets").get(0);
      assertThat(m2.path("market").asInt()).isEqualTo(2);
      assertThat(m2.path("sequence").asLong()).isEqualTo(1);
      assertThat(m2.path("oraclePrice").asLong()).isEqualTo(500L << 32);
      assertThat(m2.path("oracleTimestamp").asLong()).isEqualTo(1_000);

      for (int i = 1; i <= 5; i++) {
        h.submit(new OraclePrice(1, 1_000 + i, 1_010 + i)); // other market: not streamed
        h.submit(new OraclePrice(2, 500 + i, 1_000 + i));
        if (i % 2 == 0) {
          h.submit(new FundingTick(2, 1_000L * i, 1_000 + i));
        }
      }
      long index = 0;
      long sequence = 1;
      for (int i = 1; i <= 5; i++) {
        JsonNode p = c.next().path("params");
        assertThat(p.path("type").asText()).isEqualTo("price");
        assertThat(p.path("market").asInt()).isEqualTo(2);
        assertThat(p.path("sequence").asLong()).isEqualTo(++sequence);
        assertThat(p.path("oraclePrice").asLong()).isEqualTo((500L + i) << 32);
        assertThat(p.path("timestamp").asLong()).isEqualTo(1_000 + i);
        if (i % 2 == 0) {
          JsonNode f = c.next().path("params");
          index += 1_000L * i;
          assertThat(f.path("type").asText()).isEqualTo("funding");
          assertThat(f.path("sequence").asLong()).isEqualTo(++sequence);
          assertThat(f.path("indexDelta").asLong()).isEqualTo(1_000L * i);
          assertThat(f.path("fundingIndex").asLong()).isEqualTo(index);
          assertThat(f.path("oraclePrice").asLong()).isEqualTo((500L + i) << 32);
        }
      }
      assertThat(c.messages.poll(300, TimeUnit.MILLISECONDS)).as("nothing else").isNull();

      // parameter rules of the new channels
      assertThat(c.subscribeError("{\"channel\":\"account\"}")).isEqualTo(-32602);
      assertThat(c.subscribeError("{\"channel\":\"account\",\"account\":1}")).isEqualTo(5101);
      assertThat(c.subscribeError(h.account(1).put("channel", "markets").toString()))
          .isEqualTo(-32602);
      assertThat(c.subscribeError("{\"channel\":\"account\",\"account\":1,\"market\":1}"))
          .isEqualTo(-32602);
      assertThat(c.subscribeError("{\"channel\":\"markets\",\"account\":1}")).isEqualTo(-32602);
      assertThat(c.subscribeError("{\"channel\":\"markets\",\"market\":9}")).isEqualTo(1100);
      assertThat(c.subscribeError("{\"channel\":\"book\"}")).isEqualTo(-32602);

      // an account subscription ends with perp_unsubscribe; a second one is unknown
      long acct = c.subscribe(h.account(1).put("channel", "account").toString());
      assertThat(c.next().path("params").path("type").asText()).isEqualTo("snapshot");
      c.ws.sendText(unsubscribe(acct, 1), true).get();
      assertThat(c.next().path("result").asBoolean()).isTrue();
      h.submit(new io.zkperp.sequencer.command.DepositCollateral(1, 5));
      c.ws.sendText(unsubscribe(acct, 2), true).get();
      JsonNode again = c.next();
      assertThat(again.path("id").asInt()).as("no stream message after unsubscribe").isEqualTo(2);
      assertThat(again.path("error").path("code").asInt()).isEqualTo(-32008);
    }
  }

  private static String unsubscribe(long sub, int id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\"perp_unsubscribe\",\"params\":{\"subscription\":"
        + sub
        + "}}";
  }
}
