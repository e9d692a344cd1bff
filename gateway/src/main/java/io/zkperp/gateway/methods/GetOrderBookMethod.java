package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.sequencer.RejectReason;
import java.util.List;

/** {@code perp_getOrderBook}: aggregated levels from the read model. Netty thread. */
public final class GetOrderBookMethod extends PublicReadMethod {
  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetOrderBookMethod(ReadModel readModel) {
    super(RpcMethod.GET_ORDER_BOOK, readModel);
  }

  @Override
  JsonNode answer(Params p) {
    int market = (int) p.longValue("market", 0, 65_535);
    int depth = (int) p.longValue("depth", 1, 1000, 50);
    if (!readModel.hasMarket(market)) {
      throw new RpcException(
          RpcError.of(RejectReason.UNKNOWN_MARKET),
          "market "
              + market
              + " is not listed; listed: "
              + readModel.markets().stream().map(ReadModel.MarketInfo::market).toList());
    }
    ReadModel.BookSnapshot b = readModel.book(market, depth);
    ObjectNode r = Json.object();
    r.put("market", b.market());
    r.put("sequence", b.sequence());
    r.put("journalSeq", b.journalSeq());
    r.set("bids", levels(b.bids()));
    r.set("asks", levels(b.asks()));
    return r;
  }

  private static ArrayNode levels(List<ReadModel.Level> levels) {
    ArrayNode a = Json.NODES.arrayNode();
    for (ReadModel.Level l : levels) {
      a.addObject().put("price", l.price()).put("size", l.size()).put("orders", l.orders());
    }
    return a;
  }
}
