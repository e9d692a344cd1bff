package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;

/**
 * {@code perp_getTrades}: a page of a market's trades, newest first, from the history store (every
 * trade, no cap). Public. Netty thread (a RocksDB read, no lock shared with the journal thread).
 */
public final class GetTradesMethod extends PublicReadMethod {
  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetTradesMethod(ReadModel readModel) {
    super(RpcMethod.GET_TRADES, readModel);
  }

  @Override
  JsonNode answer(Params p) {
    HistoryPaging.MarketPage q = HistoryPaging.marketPage(p, readModel);
    HistoryStore.Page<HistoryStore.Trade> page =
        readModel.trades(q.market(), q.cursor(), q.limit());
    return HistoryPaging.json(
        "trades",
        page,
        (o, t) ->
            o.put("journalSeq", t.journalSeq())
                .put("index", t.index())
                .put("market", t.market())
                .put("time", t.time())
                .put("price", t.price())
                .put("size", t.size())
                .put("takerSide", t.takerSide().name()));
  }
}
