package io.zkperp.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.PlaceOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlaceOrderRequestTest {
  private static PlaceOrder order(TimeInForce tif) {
    byte[] signature = new byte[PlaceOrder.SIGNATURE_BYTES];
    signature[0] = (byte) 0xab;
    return new PlaceOrder(
        7,
        2,
        Side.SELL,
        -1,
        OrderType.LIMIT,
        tif,
        false,
        5,
        1003,
        1000,
        4_000_000_000L,
        42,
        TriggerType.NONE,
        0,
        signature);
  }

  @Test
  void theBodyCarriesEverySignedFieldAndTheTimeInForceUnlessGtc() throws Exception {
    JsonNode ioc = new ObjectMapper().readTree(PlaceOrderRequest.body(9, order(TimeInForce.IOC)));
    assertThat(ioc.path("id").asLong()).isEqualTo(9);
    assertThat(ioc.path("method").asText()).isEqualTo("perp_placeOrder");
    JsonNode p = ioc.path("params");
    assertThat(p.path("account").asInt()).isEqualTo(7);
    assertThat(p.path("market").asInt()).isEqualTo(2);
    assertThat(p.path("side").asText()).isEqualTo("SELL");
    assertThat(p.path("timeInForce").asText()).isEqualTo("IOC");
    assertThat(p.path("clientOrderId").asLong()).isEqualTo(4_294_967_295L);
    assertThat(p.path("size").asLong()).isEqualTo(5);
    assertThat(p.path("price").asLong()).isEqualTo(1003);
    assertThat(p.path("feeCap").asLong()).isEqualTo(1000);
    assertThat(p.path("expiry").asLong()).isEqualTo(4_000_000_000L);
    assertThat(p.path("nonce").asLong()).isEqualTo(42);
    assertThat(p.path("signature").asText()).startsWith("0xab00").hasSize(2 + 128);

    JsonNode gtc = new ObjectMapper().readTree(PlaceOrderRequest.body(9, order(TimeInForce.GTC)));
    assertThat(gtc.path("params").has("timeInForce")).isFalse();
    assertThat(gtc.path("params").path("side").asText()).isEqualTo("SELL");
  }

  @Test
  void theHttpRequestFramesTheBodyWithItsLength() {
    String text =
        new String(PlaceOrderRequest.http(3, order(TimeInForce.IOC)), StandardCharsets.UTF_8);
    String body = PlaceOrderRequest.body(3, order(TimeInForce.IOC));
    assertThat(text)
        .isEqualTo(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n"
                + body);
  }
}
