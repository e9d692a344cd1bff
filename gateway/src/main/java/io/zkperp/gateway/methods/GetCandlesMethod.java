package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.Candle;
import io.zkperp.gateway.bridge.history.CandleInterval;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcMethod;

/**
 * {@code perp_getCandles}: a page of a market's candles of one interval (1m, 5m, 1h) whose start is
 * within [{@code from}, {@code to}], newest first, from the history store, where they are built
 * from the market's trades as they happen. Public. Netty thread (a RocksDB read, no lock shared
 * with the journal thread).
 */
public final class GetCandlesMethod extends PublicReadMethod {
  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetCandlesMethod(ReadModel readModel) {
    super(RpcMethod.GET_CANDLES, readModel);
  }

  @Override
  JsonNode answer(Params p) {
    int market = (int) p.longValue("market", 0, 65_535);
    CandleInterval interval;
    try {
      interval = CandleInterval.parse(p.stringValue("interval", ""));
    } catch (IllegalArgumentException e) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "parameter \"interval\" is " + e.getMessage());
    }
    long from = p.longValue("from", 0, Long.MAX_VALUE, 0);
    long to = p.longValue("to", 0, Long.MAX_VALUE, Long.MAX_VALUE);
    if (from > to) {
      throw new RpcException(
          RpcError.INVALID_PARAMS,
          "parameter \"from\" (" + from + ") is after parameter \"to\" (" + to + ")");
    }
    HistoryCursor cursor = HistoryPaging.cursor(p);
    int limit = HistoryPaging.limit(p);
    HistoryPaging.listedMarket(readModel, market);
    HistoryStore.Page<Candle> page = readModel.candles(market, interval, from, to, cursor, limit);
    return HistoryPaging.json(
        "candles",
        page,
        (o, c) ->
            o.put("market", c.market())
                .put("interval", c.interval().wireName())
                .put("start", c.start())
                .put("open", c.open())
                .put("high", c.high())
                .put("low", c.low())
                .put("close", c.close())
                .put("volume", c.volume())
                .put("trades", c.trades()));
  }
}
