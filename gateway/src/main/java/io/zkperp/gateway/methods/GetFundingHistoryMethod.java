package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountJson;
import io.zkperp.sequencer.RejectReason;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_getFundingHistory}: a market's funding ticks, newest first, from the read model.
 * Netty thread.
 */
public final class GetFundingHistoryMethod implements RpcHandler {
  private final ReadModel readModel;

  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetFundingHistoryMethod(ReadModel readModel) {
    this.readModel = readModel;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.GET_FUNDING_HISTORY;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    int market = (int) p.longValue("market", 0, 65_535);
    long beforeSeq = p.longValue("beforeSeq", 1, Long.MAX_VALUE, Long.MAX_VALUE);
    int limit =
        (int) p.longValue("limit", 1, GetFillsMethod.MAX_LIMIT, GetFillsMethod.DEFAULT_LIMIT);
    if (!readModel.hasMarket(market)) {
      throw new RpcException(
          RpcError.of(RejectReason.UNKNOWN_MARKET), "market " + market + " is not listed");
    }
    ArrayNode out = Json.NODES.arrayNode();
    for (ReadModel.FundingTickView t : readModel.fundingHistory(market, beforeSeq, limit)) {
      AccountJson.funding(out.addObject(), t);
    }
    return CompletableFuture.completedFuture(out);
  }
}
