package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_getOpenOrders}: an account's live orders, from the read model. Private: the account's
 * read grant is checked first ({@link ReadGrants}). Netty thread.
 */
public final class GetOpenOrdersMethod implements RpcHandler {
  private final ReadModel readModel;
  private final ReadGrants grants;

  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetOpenOrdersMethod(ReadModel readModel, ReadGrants grants) {
    this.readModel = readModel;
    this.grants = grants;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.GET_OPEN_ORDERS;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    int account = (int) p.longValue("account", 0, Integer.MAX_VALUE);
    int market = (int) p.longValue("market", 0, 65_535, -1);
    return grants.authorize(p, account).thenApply(ok -> openOrders(account, market));
  }

  private JsonNode openOrders(int account, int market) {
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
    return out;
  }
}
