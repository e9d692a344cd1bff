package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.bridge.history.OrderRecord;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountJson;
import java.util.function.Supplier;

/**
 * {@code perp_getOrderHistory}: a page of an account's orders, newest placed first, each once with
 * its status (open, parked, or how it ended) and its filled size, from the history store (every
 * order, no cap); {@code cursor} continues where the previous page's {@code nextCursor} points.
 * Private: the account's read grant is checked first ({@link ReadGrants}). Netty thread (a RocksDB
 * read, no lock shared with the journal thread).
 */
public final class GetOrderHistoryMethod extends PrivateAccountMethod {
  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetOrderHistoryMethod(ReadModel readModel, ReadGrants grants) {
    super(RpcMethod.GET_ORDER_HISTORY, readModel, grants);
  }

  @Override
  Supplier<JsonNode> request(int account, Params p) {
    HistoryCursor cursor = HistoryPaging.cursor(p);
    int limit = HistoryPaging.limit(p);
    return () -> orders(account, cursor, limit);
  }

  private JsonNode orders(int account, HistoryCursor cursor, int limit) {
    HistoryStore.Page<OrderRecord> page = readModel.orderHistory(account, cursor, limit);
    return HistoryPaging.json(
        "orders",
        page,
        (o, r) ->
            AccountJson.order(o, r.change().order())
                .put("filled", r.filled())
                .put("status", r.change().status())
                .put("lastJournalSeq", r.lastJournalSeq()));
  }
}
