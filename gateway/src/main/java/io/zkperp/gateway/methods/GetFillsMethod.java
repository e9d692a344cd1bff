package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountJson;
import java.util.function.Supplier;

/**
 * {@code perp_getFills}: a page of an account's fills, newest first, from the history store (every
 * fill, no cap); {@code cursor} continues where the previous page's {@code nextCursor} points.
 * Private: the account's read grant is checked first ({@link ReadGrants}). Netty thread (a RocksDB
 * read, no lock shared with the journal thread).
 */
public final class GetFillsMethod extends PrivateAccountMethod {
  /** The most fills per call. */
  public static final int MAX_LIMIT = HistoryPaging.MAX_LIMIT;

  /** Fills per call when {@code limit} is absent. */
  public static final int DEFAULT_LIMIT = HistoryPaging.DEFAULT_LIMIT;

  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetFillsMethod(ReadModel readModel, ReadGrants grants) {
    super(RpcMethod.GET_FILLS, readModel, grants);
  }

  @Override
  Supplier<JsonNode> request(int account, Params p) {
    int market = (int) p.longValue("market", 0, 65_535, -1);
    HistoryCursor cursor = HistoryPaging.cursor(p);
    int limit = HistoryPaging.limit(p);
    return () -> fills(account, market, cursor, limit);
  }

  private JsonNode fills(int account, int market, HistoryCursor cursor, int limit) {
    HistoryStore.Page<ReadModel.FillView> page = readModel.fills(account, market, cursor, limit);
    return HistoryPaging.json("fills", page, AccountJson::fill);
  }
}
