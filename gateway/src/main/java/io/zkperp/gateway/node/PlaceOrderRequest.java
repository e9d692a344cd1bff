package io.zkperp.gateway.node;

import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.PlaceOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The {@code perp_placeOrder} JSON-RPC request of a signed order, as load generators and benchmarks
 * write it without a JSON library: the body, and the body framed as a keep-alive HTTP/1.1 POST to
 * the loopback node. Stateless; any thread.
 */
public final class PlaceOrderRequest {
  private PlaceOrderRequest() {}

  /**
   * The JSON-RPC body: every field the signature covers; {@code timeInForce} only when it is not
   * GTC (the node's default).
   *
   * @param id the JSON-RPC id
   * @param o the signed order
   * @return the body
   */
  public static String body(long id, PlaceOrder o) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\"perp_placeOrder\",\"params\":{\"account\":"
        + o.account()
        + ",\"market\":"
        + o.market()
        + ",\"side\":\""
        + o.side()
        + (o.timeInForce() == TimeInForce.GTC ? "" : "\",\"timeInForce\":\"" + o.timeInForce())
        + "\",\"clientOrderId\":"
        + Integer.toUnsignedLong(o.clientOrderId())
        + ",\"size\":"
        + o.size()
        + ",\"price\":"
        + o.price()
        + ",\"feeCap\":"
        + o.feeCap()
        + ",\"expiry\":"
        + o.expiry()
        + ",\"nonce\":"
        + o.nonce()
        + ",\"signature\":\"0x"
        + HexFormat.of().formatHex(o.signature())
        + "\"}}";
  }

  /**
   * The whole HTTP/1.1 request of {@link #body}: {@code POST /} to host 127.0.0.1 with its content
   * type and length, ready to write on a keep-alive connection.
   *
   * @param id the JSON-RPC id
   * @param o the signed order
   * @return the request bytes
   */
  public static byte[] http(long id, PlaceOrder o) {
    byte[] b = body(id, o).getBytes(StandardCharsets.UTF_8);
    byte[] h =
        ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + b.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] r = new byte[h.length + b.length];
    System.arraycopy(h, 0, r, 0, h.length);
    System.arraycopy(b, 0, r, h.length, b.length);
    return r;
  }
}
