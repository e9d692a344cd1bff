package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.function.Supplier;

/**
 * {@code perp_getOpenOrders}: an account's live orders, from the read model. Private: the account's
 * read grant is checked first ({@link ReadGrants}). Netty thread.
 */
public final class GetOpenOrdersMethod extends PrivateAccountMethod {
  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetOpenOrdersMethod(ReadModel readModel, ReadGrants grants) {
    super(RpcMethod.GET_OPEN_ORDERS, readModel, grants);
  }

  @Override
  Supplier<JsonNode> request(int account, Params p) {
    int market = (int) p.longValue("market", 0, 65_535, -1);
    return () -> openOrders(account, market);
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
