package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.concurrent.CompletableFuture;

/** {@code perp_getOpenOrders}: an account's live orders, from the read model. Netty thread. */
public final class GetOpenOrdersMethod implements RpcHandler {
  private final ReadModel readModel;

  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetOpenOrdersMethod(ReadModel readModel) {
    this.readModel = readModel;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.GET_OPEN_ORDERS;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    int account = (int) p.longValue("account", 0, Integer.MAX_VALUE);
    int market = (int) p.longValue("market", 0, 65_535, -1);
    ArrayNode out = Json.NODES.arrayNode();
    for (ReadModel.OpenOrder o : readModel.openOrders(account, market)) {
      out.addObject()
          .put("orderId", o.orderId())
          .put("market", o.market())
          .put("clientOrderId", o.clientOrderId())
          .put("side", o.side().name())
          .put("price", o.price())
          .put("size", o.size())
          .put("remaining", o.remaining())
          .put("nonce", o.nonce())
          .put("conditional", o.conditional());
    }
    return CompletableFuture.completedFuture(out);
  }
}
