package io.zkperp.gateway.methods;

import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountJson;

/**
 * {@code perp_getFundingHistory}: a page of a market's funding ticks, newest first, from the
 * history store; {@code cursor} continues where the previous page's {@code nextCursor} points.
 * Netty thread.
 */
public final class GetFundingHistoryMethod extends MarketHistoryMethod<ReadModel.FundingTickView> {
  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetFundingHistoryMethod(ReadModel readModel) {
    super(
        RpcMethod.GET_FUNDING_HISTORY,
        readModel,
        new HistoryListing<>("ticks", ReadModel::fundingHistory, AccountJson::funding));
  }
}
