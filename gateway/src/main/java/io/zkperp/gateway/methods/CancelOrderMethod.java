package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.SequencerBridge;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcContext;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.protocol.message.CancelOrderMessage;
import io.zkperp.sequencer.command.CancelOrder;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_cancelOrder}: a signed cancel (see {@link CancelOrderMessage}) verified by the
 * gateway, then a {@link CancelOrder} submitted; answered after the journal write. {@link #handle}
 * runs on a Netty thread.
 */
public final class CancelOrderMethod implements RpcHandler {
  private final SequencerBridge bridge;
  private final CancelVerifier verifier;

  /**
   * The method.
   *
   * @param bridge where to submit
   * @param verifier checks the cancel's signature
   */
  public CancelOrderMethod(SequencerBridge bridge, CancelVerifier verifier) {
    this.bridge = bridge;
    this.verifier = verifier;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.CANCEL_ORDER;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    return handle(p, null);
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p, RpcContext context) {
    int account = (int) p.longValue("account", 0, Integer.MAX_VALUE);
    boolean byOrderId = p.has("orderId");
    if (byOrderId == p.has("clientOrderId")) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "give exactly one of \"orderId\" and \"clientOrderId\"");
    }
    long id =
        byOrderId
            ? p.longValue("orderId", 0, Long.MAX_VALUE)
            : p.longValue("clientOrderId", 0, 0xFFFF_FFFFL);
    long validUntil = p.longValue("validUntil", 0, Long.MAX_VALUE);
    byte[] signature = p.hexBytes("signature", 64);
    CancelOrder command = new CancelOrder(account, !byOrderId, id, validUntil, signature);
    CancelOrderMessage message = new CancelOrderMessage(account, !byOrderId, id, validUntil);
    return verifier
        .verify(
            account,
            validUntil,
            message.hash(verifier.domain()),
            signature,
            message + " in " + verifier.domain())
        .thenCompose(
            v -> {
              verifier.limit().charge(account); // after the signature: only the owner spends it
              return bridge.submit(command, context == null ? null : context.eventLoop());
            })
        .thenApply(CancelOrderMethod::cancelled);
  }

  static JsonNode cancelled(CommandOutcome outcome) {
    CommandOutcome.Accepted a = Json.accepted(outcome);
    ObjectNode r = Json.object();
    r.put("journalSeq", a.journalSeq());
    ArrayNode ids = r.putArray("cancelled");
    for (SequencerEvent e : a.events()) {
      if (e instanceof SequencerEvent.OrderClosed c) {
        ids.add(c.orderId());
      }
    }
    return r;
  }
}
