package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.OrderRecord;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountJson;

/**
 * {@code perp_getOrderHistory}: a page of an account's orders, newest placed first, each once with
 * its status (open, parked, or how it ended) and its filled size, from the history store (every
 * order, no cap); {@code cursor} continues where the previous page's {@code nextCursor} points.
 * Private: the account's read grant is checked first ({@link ReadGrants}). Netty thread (a RocksDB
 * read, no lock shared with the journal thread).
 */
public final class GetOrderHistoryMethod extends AccountHistoryMethod<OrderRecord> {
  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetOrderHistoryMethod(ReadModel readModel, ReadGrants grants) {
    super(
        RpcMethod.GET_ORDER_HISTORY,
        readModel,
        grants,
        new HistoryListing<>("orders", ReadModel::orderHistory, GetOrderHistoryMethod::write));
  }

  /** The order as {@link AccountJson#order} writes it, with its filled size and status. */
  private static void write(ObjectNode o, OrderRecord r) {
    AccountJson.order(o, r.change().order())
        .put("filled", r.filled())
        .put("status", r.change().status())
        .put("lastJournalSeq", r.lastJournalSeq());
  }
}
