package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;

/** {@code perp_getMarkets}: the listed markets, from the read model. Netty thread. */
public final class GetMarketsMethod extends PublicReadMethod {
  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetMarketsMethod(ReadModel readModel) {
    super(RpcMethod.GET_MARKETS, readModel);
  }

  @Override
  JsonNode answer(Params p) {
    ArrayNode out = Json.NODES.arrayNode();
    for (ReadModel.MarketInfo m : readModel.markets()) {
      out.addObject()
          .put("market", m.market())
          .put("tickSize", m.tickSize())
          .put("stepSize", m.stepSize())
          .put("minSize", m.minSize());
    }
    return out;
  }
}
