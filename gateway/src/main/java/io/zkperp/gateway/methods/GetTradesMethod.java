package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_getTrades}: a page of a market's trades, newest first, from the history store (every
 * trade, no cap). Public. Netty thread (a RocksDB read, no lock shared with the journal thread).
 */
public final class GetTradesMethod implements RpcHandler {
  private final ReadModel readModel;

  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetTradesMethod(ReadModel readModel) {
    this.readModel = readModel;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.GET_TRADES;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    int market = (int) p.longValue("market", 0, 65_535);
    var cursor = HistoryPaging.cursor(p);
    int limit = HistoryPaging.limit(p);
    HistoryPaging.listedMarket(readModel, market);
    HistoryStore.Page<HistoryStore.Trade> page = readModel.trades(market, cursor, limit);
    ObjectNode out = Json.object();
    ArrayNode trades = out.putArray("trades");
    for (HistoryStore.Trade t : page.items()) {
      trades
          .addObject()
          .put("journalSeq", t.journalSeq())
          .put("index", t.index())
          .put("market", t.market())
          .put("time", t.time())
          .put("price", t.price())
          .put("size", t.size())
          .put("takerSide", t.takerSide().name());
    }
    HistoryPaging.next(out, page);
    return CompletableFuture.completedFuture(out);
  }
}
