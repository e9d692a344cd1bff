package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.function.Supplier;

/**
 * A private listing of one account's history (collateral changes, orders): reads {@code account},
 * {@code cursor} and {@code limit}, then checks the read grant ({@link PrivateAccountMethod}), and
 * answers with a page of the listing. Netty thread (a RocksDB read, no lock shared with the journal
 * thread).
 *
 * @param <T> the entry type
 */
abstract class AccountHistoryMethod<T> extends PrivateAccountMethod {
  private final HistoryListing<T> listing;

  /**
   * The method.
   *
   * @param method which method it is
   * @param readModel the read model
   * @param grants checks the account's read grant
   * @param listing what it lists
   */
  AccountHistoryMethod(
      RpcMethod method, ReadModel readModel, ReadGrants grants, HistoryListing<T> listing) {
    super(method, readModel, grants);
    this.listing = listing;
  }

  @Override
  final Supplier<JsonNode> request(int account, Params p) {
    HistoryCursor cursor = HistoryPaging.cursor(p);
    int limit = HistoryPaging.limit(p);
    return () -> listing.page(readModel, account, cursor, limit);
  }
}
