package io.zkperp.gateway.methods;

import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.rpc.RpcMethod;

/**
 * {@code perp_getTrades}: a page of a market's trades, newest first, from the history store (every
 * trade, no cap). Public. Netty thread (a RocksDB read, no lock shared with the journal thread).
 */
public final class GetTradesMethod extends MarketHistoryMethod<HistoryStore.Trade> {
  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetTradesMethod(ReadModel readModel) {
    super(
        RpcMethod.GET_TRADES,
        readModel,
        new HistoryListing<HistoryStore.Trade>(
            "trades",
            ReadModel::trades,
            (o, t) ->
                o.put("journalSeq", t.journalSeq())
                    .put("index", t.index())
                    .put("market", t.market())
                    .put("time", t.time())
                    .put("price", t.price())
                    .put("size", t.size())
                    .put("takerSide", t.takerSide().name())));
  }
}
