package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** JSON-RPC calls to a demo node, and demo accounts' signed GTC limit orders as call params. */
final class DemoNodeRpc {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private DemoNodeRpc() {}

  /** One JSON-RPC call over HTTP; params null means none. */
  static JsonNode call(GatewayNode node, String method, String params) throws Exception {
    return call(node.gateway().port(), method, params);
  }

  /** One JSON-RPC call over HTTP to a node on a loopback port (another process's). */
  static JsonNode call(int port, String method, String params) throws Exception {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\""
            + method
            + "\""
            + (params == null ? "" : ",\"params\":" + params)
            + "}";
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return MAPPER.readTree(r.body());
  }

  /**
   * A GTC limit order of {@code account} (client order id = nonce, fee cap 1000, expiry 4·10⁹),
   * signed with demo account {@code signer}'s key.
   */
  static PlaceOrder limitOrder(
      int account, int signer, int market, Side side, long size, long price, long nonce) {
    return OrderSigning.sign(
        GatewayNode.demoKey(signer),
        MessageDomain.DEMO,
        DirectJournal.order(account, market, side, size, price, nonce));
  }

  /**
   * Places demo account {@code account}'s own {@link #limitOrder} (signed with its key) on a node.
   *
   * @return the JSON-RPC answer
   */
  static JsonNode placeLimit(
      GatewayNode node, int account, int market, Side side, long size, long price, long nonce)
      throws Exception {
    return placeLimit(node.gateway().port(), account, market, side, size, price, nonce);
  }

  /**
   * Places demo account {@code account}'s own {@link #limitOrder} on a node on a loopback port.
   *
   * @return the JSON-RPC answer
   */
  static JsonNode placeLimit(
      int port, int account, int market, Side side, long size, long price, long nonce)
      throws Exception {
    return call(
        port,
        "perp_placeOrder",
        params(limitOrder(account, account, market, side, size, price, nonce)));
  }

  /**
   * Every item of a listing, page by page: {@code params} (with its {@code limit}), then each
   * page's {@code nextCursor} until the last page; every answer must be a result.
   *
   * @param field the name of the items' array in the result
   * @return the items, in the order the pages gave them
   */
  static List<JsonNode> allPages(GatewayNode node, String method, ObjectNode params, String field)
      throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String cursor = null;
    do {
      ObjectNode p = params.deepCopy();
      if (cursor != null) {
        p.put("cursor", cursor);
      }
      JsonNode r = call(node, method, p.toString());
      assertThat(r.has("result")).as(r.toString()).isTrue();
      r.path("result").path(field).forEach(out::add);
      JsonNode next = r.path("result").path("nextCursor");
      cursor = next.isNull() ? null : next.asText();
    } while (cursor != null);
    return out;
  }

  /** The {@code perp_placeOrder} params of a {@link #limitOrder}. */
  static String params(PlaceOrder o) {
    ObjectNode p = MAPPER.createObjectNode();
    p.put("account", o.account());
    p.put("market", o.market());
    p.put("side", o.side().name());
    p.put("clientOrderId", Integer.toUnsignedLong(o.clientOrderId()));
    p.put("size", o.size());
    p.put("price", o.price());
    p.put("feeCap", o.feeCap());
    p.put("expiry", o.expiry());
    p.put("nonce", o.nonce());
    p.put("signature", "0x" + HexFormat.of().formatHex(o.signature()));
    return p.toString();
  }
}
