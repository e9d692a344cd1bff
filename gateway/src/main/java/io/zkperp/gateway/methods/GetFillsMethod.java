package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountJson;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_getFills}: a page of an account's fills, newest first, from the history store (every
 * fill, no cap); {@code cursor} continues where the previous page's {@code nextCursor} points.
 * Private: the account's read grant is checked first ({@link ReadGrants}). Netty thread (a RocksDB
 * read, no lock shared with the journal thread).
 */
public final class GetFillsMethod implements RpcHandler {
  /** The most fills per call. */
  public static final int MAX_LIMIT = HistoryPaging.MAX_LIMIT;

  /** Fills per call when {@code limit} is absent. */
  public static final int DEFAULT_LIMIT = HistoryPaging.DEFAULT_LIMIT;

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
    HistoryCursor cursor = HistoryPaging.cursor(p);
    int limit = HistoryPaging.limit(p);
    return grants.authorize(p, account).thenApply(ok -> fills(account, market, cursor, limit));
  }

  private JsonNode fills(int account, int market, HistoryCursor cursor, int limit) {
    HistoryStore.Page<ReadModel.FillView> page = readModel.fills(account, market, cursor, limit);
    return HistoryPaging.json("fills", page, AccountJson::fill);
  }
}
