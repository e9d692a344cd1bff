package io.zkperp.bench.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.pipeline.Sequencer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node benchmark's order stream and answer parsing, without a node (milliseconds). */
class OrderStreamTest {
  private static final RunAccounts ACCOUNTS = new RunAccounts(4);

  @Test
  void tradersTakeTurnsWithIncreasingNoncesAndOnlyIocOrders() {
    OrderStream s = new OrderStream(ACCOUNTS, 0.2, 5, 100);
    PlaceOrder[] orders = s.next(2_000);
    Map<Integer, Long> lastNonce = new HashMap<>();
    for (int i = 0; i < orders.length; i++) {
      PlaceOrder o = orders[i];
      assertThat(o.account()).isEqualTo(ACCOUNTS.trader(i % 4));
      assertThat(o.timeInForce()).isEqualTo(TimeInForce.IOC);
      assertThat(o.size()).isBetween(1L, 5L);
      assertThat(o.clientOrderId()).isEqualTo((int) o.nonce());
      long expected = lastNonce.getOrDefault(o.account(), 99L) + 1;
      assertThat(o.nonce()).isEqualTo(expected);
      lastNonce.put(o.account(), o.nonce());
    }
    // the maker's nonces are its own: its quotes start at the stream's first nonce
    PlaceOrder[] quotes = s.makerQuotes();
    assertThat(quotes).extracting(PlaceOrder::account).containsOnly(RunAccounts.MAKER);
    assertThat(quotes).extracting(PlaceOrder::nonce).containsExactly(100L, 101L);
    assertThat(quotes[0].side()).isEqualTo(Side.SELL);
    assertThat(quotes[0].price()).isEqualTo(OrderStream.ASK);
    assertThat(quotes[1].price()).isEqualTo(OrderStream.BID);
  }

  @Test
  void theCrossingShareIsWhatWasAskedAndOnlyCrossingOrdersReachTheQuotes() {
    PlaceOrder[] orders = new OrderStream(ACCOUNTS, 0.2, 9, 1).next(20_000);
    int crossing = 0;
    for (PlaceOrder o : orders) {
      if (OrderStream.crosses(o)) {
        crossing++;
        assertThat(o.price()).isEqualTo(o.side() == Side.BUY ? OrderStream.ASK : OrderStream.BID);
      } else if (o.side() == Side.BUY) {
        assertThat(o.price()).isBetween(990L, 998L);
      } else {
        assertThat(o.price()).isBetween(1_002L, 1_010L);
      }
    }
    assertThat(crossing / 20_000.0).isBetween(0.19, 0.21);
    assertThat(new OrderStream(ACCOUNTS, 0, 9, 1).next(1_000)).noneMatch(OrderStream::crosses);
    assertThatThrownBy(() -> new OrderStream(ACCOUNTS, 1.5, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signedOrdersVerifyForTheirDomainOnlyAndTheRequestCarriesEveryField() throws Exception {
    MessageDomain domain = BenchNode.settlingDomain();
    PlaceOrder[] signed = OrderStream.sign(new OrderStream(ACCOUNTS, 0.5, 3, 7).next(8), domain);
    JavaSignatureVerifier verifier = new JavaSignatureVerifier(Sequencer.KEY_TABLES);
    for (PlaceOrder o : signed) {
      var key = RunAccounts.key(o.account()).publicKey();
      assertThat(OrderSigning.verify(verifier, key, domain, o)).isTrue();
      assertThat(OrderSigning.verify(verifier, key, MessageDomain.DEMO, o)).isFalse();
    }
    byte[] request = OrderStream.request(42, signed[0]);
    String text = new String(request, StandardCharsets.UTF_8);
    String body = text.substring(text.indexOf("\r\n\r\n") + 4);
    assertThat(text).contains("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length);
    JsonNode p = new ObjectMapper().readTree(body).path("params");
    assertThat(p.path("account").asInt()).isEqualTo(signed[0].account());
    assertThat(p.path("timeInForce").asText()).isEqualTo("IOC");
    assertThat(p.path("nonce").asLong()).isEqualTo(signed[0].nonce());
    assertThat(p.path("signature").asText()).hasSize(2 + 128);
  }

  @Test
  void answersAndMetricsAreRead() {
    String filled =
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"orderId\":9,\"journalSeq\":77,"
            + "\"status\":\"FILLED\",\"filled\":4,\"remaining\":0,\"fills\":[]}}";
    assertThat(AnswerText.code(filled)).isZero();
    assertThat(AnswerText.filled(filled)).isEqualTo(4);
    String cancelled = filled.replace("\"filled\":4", "\"filled\":0");
    assertThat(AnswerText.filled(cancelled)).isZero();
    String error = "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32004,\"message\":\"x\"}}";
    assertThat(AnswerText.code(error)).isEqualTo(-32004);
    assertThat(AnswerText.filled(error)).isZero();
    assertThat(AnswerText.code("garbage")).isEqualTo(-1);

    Map<String, Double> m =
        MetricsSampler.PrometheusText.parse(
            "# HELP settlement_records_waiting x\n"
                + "settlement_records_waiting 12.0\n"
                + "settlement_batches{status=\"PROVEN\",} 3.0\n"
                + "prover_lag_seconds 41.5\n");
    assertThat(m)
        .containsEntry("settlement_records_waiting", 12.0)
        .containsEntry("settlement_batches{status=\"PROVEN\"}", 3.0)
        .containsEntry("prover_lag_seconds", 41.5)
        .hasSize(3);
  }
}
