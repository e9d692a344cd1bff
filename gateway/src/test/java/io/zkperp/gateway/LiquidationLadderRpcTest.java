package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.risk.RiskEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code perp_getLiquidationLadder} over a real socket on a gateway with the risk engine: three
 * accounts trade into known positions (two longs at 10× and 5× leverage, one short at 15×); each
 * position's size must be in exactly the band whose edges hold the liquidation price {@code
 * perp_getAccount} gives it, every other band empty, and the sides' sums equal the open interest.
 */
class LiquidationLadderRpcTest {
  private static final long ONE = 1L << 32;

  @TempDir Path dir;

  @Test
  void eachPositionSitsInTheBandOfItsLiquidationPrice() throws Exception {
    List<Command> setup = new ArrayList<>(RiskFixtureTest.SETUP);
    setup.add(new DepositCollateral(3, 1_000_000));
    try (GatewayHarness h = new GatewayHarness(dir, GatewayConfig.defaults(0), engine(), setup)) {
      // market 1 at 1,000: account 2 sells 15,000, accounts 1 and 3 buy 10,000 and 5,000
      h.submit(signed(h, DirectJournal.order(2, 1, Side.SELL, 15_000, 1_000, 1)));
      h.submit(signed(h, DirectJournal.order(1, 1, Side.BUY, 10_000, 1_000, 1)));
      h.submit(signed(h, DirectJournal.order(3, 1, Side.BUY, 5_000, 1_000, 1)));

      ObjectNode params = h.mapperObject("market", 1);
      params.put("bands", 10).put("bandPpm", 20_000); // 2 % bands
      JsonNode ladder = h.call("perp_getLiquidationLadder", params).path("result");
      assertThat(ladder.path("market").asInt()).isEqualTo(1);
      assertThat(ladder.path("oraclePrice").asLong()).isEqualTo(1_000 * ONE);
      assertThat(ladder.path("bandPpm").asLong()).isEqualTo(20_000);
      JsonNode longs = ladder.path("longs");
      JsonNode shorts = ladder.path("shorts");
      assertThat(longs.path("bands")).hasSize(10);
      // edges: floor(P·(1 − 2k %)) below, ceil(P·(1 + 2k %)) above
      assertThat(longs.path("bands").get(0).path("to").asLong()).isEqualTo(1_000 * ONE);
      assertThat(longs.path("bands").get(3).path("from").asLong()).isEqualTo(920 * ONE);
      assertThat(shorts.path("bands").get(1).path("from").asLong()).isEqualTo(1_020 * ONE);

      long[] longSizes = new long[10];
      long[] shortSizes = new long[10];
      place(h, 1, longs, longSizes, true);
      place(h, 3, longs, longSizes, true);
      place(h, 2, shorts, shortSizes, false);
      for (int k = 0; k < 10; k++) {
        assertThat(longs.path("bands").get(k).path("size").asLong())
            .as("long band %d", k)
            .isEqualTo(longSizes[k]);
        assertThat(shorts.path("bands").get(k).path("size").asLong())
            .as("short band %d", k)
            .isEqualTo(shortSizes[k]);
      }
      // 10× long: about 7.2 % below; 5× long: about 17.5 % below; 15× short: about 3.5 % above
      assertThat(longSizes[3]).isEqualTo(10_000);
      assertThat(longSizes[8]).isEqualTo(5_000);
      assertThat(shortSizes[1]).isEqualTo(15_000);
      assertThat(longs.path("beyond").asLong() + longs.path("never").asLong()).isZero();
      assertThat(shorts.path("beyond").asLong() + shorts.path("never").asLong()).isZero();

      // the OpenRPC document describes the result field by field
      JsonNode method = h.discoveredMethod("perp_getLiquidationLadder");
      assertThat(method).isNotNull();
      JsonNode schema = method.path("result").path("schema");
      assertThat(schema.path("required").toString())
          .isEqualTo(
              "[\"bandPpm\",\"journalSeq\",\"longs\",\"market\",\"oraclePrice\",\"shorts\"]");
      assertThat(schema.path("properties").path("longs").path("required").toString())
          .isEqualTo("[\"bands\",\"beyond\",\"never\"]");
      // a gateway without settlement: perp_getBatches is the settling node's
      assertThat(h.call("perp_getBatches", null).path("error").path("message").asText())
          .contains("runs no settlement");

      // bad input: a typed error, nothing else
      params.put("bands", 0);
      assertThat(h.call("perp_getLiquidationLadder", params).path("error").path("code").asInt())
          .isEqualTo(-32602);
      assertThat(
              h.call("perp_getLiquidationLadder", h.mapperObject("market", 9))
                  .path("error")
                  .path("message")
                  .asText())
          .contains("not listed");
    }
  }

  /** Market 1 with IMF 5 % / MMF 3 % up to 100,000 (the fixtures' engine raises it above 200). */
  private static RiskEngine engine() {
    return RiskFixtureTest.engine(
        new MarketRisk(50_000, 30_000, 100_000, 100_000, 10_000, 1_000_000, 10_000_000));
  }

  private static PlaceOrder signed(GatewayHarness h, PlaceOrder o) {
    return OrderSigning.sign(h.keys[o.account()], MessageDomain.DEMO, o);
  }

  /** Adds the account's market-1 size to the band whose edges hold its liquidation price. */
  private static void place(
      GatewayHarness h, int account, JsonNode side, long[] sizes, boolean isLong) throws Exception {
    JsonNode a = h.call("perp_getAccount", h.account(account)).path("result");
    JsonNode p = a.path("positions").get(0);
    assertThat(p.path("market").asInt()).isEqualTo(1);
    long liq = p.path("liquidationPrice").asLong();
    long size = Math.abs(p.path("size").asLong());
    for (int k = 0; k < sizes.length; k++) {
      long from = side.path("bands").get(k).path("from").asLong();
      long to = side.path("bands").get(k).path("to").asLong();
      if (isLong ? from < liq && liq <= to : from <= liq && liq < to) {
        sizes[k] += size;
        return;
      }
    }
    throw new AssertionError("account " + account + ": liquidation price " + liq + " in no band");
  }
}
