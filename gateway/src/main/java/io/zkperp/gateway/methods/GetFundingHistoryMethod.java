package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountJson;

/**
 * {@code perp_getFundingHistory}: a page of a market's funding ticks, newest first, from the
 * history store; {@code cursor} continues where the previous page's {@code nextCursor} points.
 * Netty thread.
 */
public final class GetFundingHistoryMethod extends PublicReadMethod {
  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetFundingHistoryMethod(ReadModel readModel) {
    super(RpcMethod.GET_FUNDING_HISTORY, readModel);
  }

  @Override
  JsonNode answer(Params p) {
    HistoryPaging.MarketPage q = HistoryPaging.marketPage(p, readModel);
    HistoryStore.Page<ReadModel.FundingTickView> page =
        readModel.fundingHistory(q.market(), q.cursor(), q.limit());
    return HistoryPaging.json("ticks", page, AccountJson::funding);
  }
}
