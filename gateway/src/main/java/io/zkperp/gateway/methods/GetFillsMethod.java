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
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_getFills}: an account's fills, newest first, paginated by (journalSeq, index), from
 * the read model. Private: the account's read grant is checked first ({@link ReadGrants}). Netty
 * thread.
 */
public final class GetFillsMethod implements RpcHandler {
  /** The most fills per call. */
  public static final int MAX_LIMIT = 1000;

  /** Fills per call when {@code limit} is absent. */
  public static final int DEFAULT_LIMIT = 100;

  private final ReadModel readModel;
  private final ReadGrants grants;

  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetFillsMethod(ReadModel readModel, ReadGrants grants) {
    this.readModel = readModel;
    this.grants = grants;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.GET_FILLS;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    int account = (int) p.longValue("account", 0, Integer.MAX_VALUE);
    int market = (int) p.longValue("market", 0, 65_535, -1);
    long beforeSeq = p.longValue("beforeSeq", 1, Long.MAX_VALUE, Long.MAX_VALUE);
    if (p.has("beforeIndex") && !p.has("beforeSeq")) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "parameter \"beforeIndex\" needs \"beforeSeq\"");
    }
    long beforeIndex = p.longValue("beforeIndex", 0, Integer.MAX_VALUE, 0);
    int limit = (int) p.longValue("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    return grants
        .authorize(p, account)
        .thenApply(ok -> fills(account, market, beforeSeq, beforeIndex, limit));
  }

  private JsonNode fills(int account, int market, long beforeSeq, long beforeIndex, int limit) {
    ArrayNode out = Json.NODES.arrayNode();
    for (ReadModel.FillView f : readModel.fills(account, market, beforeSeq, beforeIndex, limit)) {
      AccountJson.fill(out.addObject(), f);
    }
    return out;
  }
}
