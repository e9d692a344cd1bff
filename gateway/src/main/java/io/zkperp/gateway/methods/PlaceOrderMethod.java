package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.SequencerBridge;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcContext;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_placeOrder}: builds a {@link PlaceOrder} from the parameters (types and ranges
 * checked here; values — tick, step, nonce, risk — by the core) and submits it. The signature is
 * verified by the sequencer's intake threads, in parallel, before the core thread sees the order
 * (not twice). The result is sent after the journal write. {@link #handle} runs on a Netty thread.
 */
public final class PlaceOrderMethod implements RpcHandler {
  private final SequencerBridge bridge;
  private final AccountLimit limit;

  /**
   * The method.
   *
   * @param bridge where to submit
   * @param limit the per-account command limit
   */
  public PlaceOrderMethod(SequencerBridge bridge, AccountLimit limit) {
    this.bridge = bridge;
    this.limit = limit;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.PLACE_ORDER;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    return handle(p, null);
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p, RpcContext context) {
    PlaceOrder order =
        new PlaceOrder(
            (int) p.longValue("account", 0, Integer.MAX_VALUE),
            (int) p.longValue("market", 0, 65_535),
            p.enumValue(Side.class, "side", null),
            (int) p.longValue("clientOrderId", 0, 0xFFFF_FFFFL, 0),
            p.enumValue(OrderType.class, "type", OrderType.LIMIT),
            p.enumValue(TimeInForce.class, "timeInForce", TimeInForce.GTC),
            p.booleanValue("reduceOnly", false),
            p.longValue("size", Long.MIN_VALUE, Long.MAX_VALUE),
            p.longValue("price", Long.MIN_VALUE, Long.MAX_VALUE),
            p.longValue("feeCap", Long.MIN_VALUE, Long.MAX_VALUE),
            p.longValue("expiry", Long.MIN_VALUE, Long.MAX_VALUE),
            p.longValue("nonce", Long.MIN_VALUE, Long.MAX_VALUE),
            p.enumValue(TriggerType.class, "trigger", TriggerType.NONE),
            p.longValue("triggerPrice", Long.MIN_VALUE, Long.MAX_VALUE, 0),
            p.hexBytes("signature", PlaceOrder.SIGNATURE_BYTES));
    limit.check(order.account()); // spends nothing: a forged order must not use up the budget
    return bridge
        .submit(order, context == null ? null : context.eventLoop())
        .thenApply(
            outcome -> {
              if (signedByOwner(outcome)) {
                limit.charge(order.account());
              }
              return result(order, outcome);
            });
  }

  /**
   * Whether the sequencer's intake verified the order's signature: every outcome except the two
   * intake refusals that come before or from the signature check.
   */
  private static boolean signedByOwner(CommandOutcome outcome) {
    return !(outcome instanceof CommandOutcome.Rejected r
        && (r.reason() == RejectReason.BAD_SIGNATURE
            || r.reason() == RejectReason.UNKNOWN_ACCOUNT
            || r.reason() == RejectReason.MALFORMED_COMMAND));
  }

  private static long orderId(PlaceOrder order, CommandOutcome.Accepted a) {
    for (SequencerEvent e : a.events()) {
      if (e instanceof SequencerEvent.OrderAccepted o
          && o.account() == order.account()
          && o.nonce() == order.nonce()) {
        return o.orderId();
      }
    }
    return -1;
  }

  private static JsonNode result(PlaceOrder order, CommandOutcome outcome) {
    CommandOutcome.Accepted a = Json.accepted(outcome);
    final long orderId = orderId(order, a);
    ObjectNode r = Json.object();
    r.put("orderId", orderId);
    r.put("journalSeq", a.journalSeq());
    long filled = 0;
    String status = order.trigger() == TriggerType.NONE ? "OPEN" : "PARKED";
    long remaining = order.size();
    ArrayNode fills = Json.NODES.arrayNode();
    for (SequencerEvent e : a.events()) {
      switch (e) {
        case SequencerEvent.Fill f when f.takerOrderId() == orderId -> {
          filled += f.size();
          remaining -= f.size();
          fills
              .addObject()
              .put("makerOrderId", f.makerOrderId())
              .put("price", f.price())
              .put("size", f.size());
        }
        case SequencerEvent.OrderTriggered t when t.orderId() == orderId -> status = "OPEN";
        case SequencerEvent.OrderClosed c when c.orderId() == orderId -> {
          status = c.reason().name();
          remaining = c.remaining();
        }
        default -> {}
      }
    }
    r.put("status", status);
    r.put("filled", filled);
    r.put("remaining", remaining);
    r.set("fills", fills);
    return r;
  }
}
