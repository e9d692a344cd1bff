package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;

/**
 * A public listing of one market's history (trades, funding ticks): reads {@code market}, {@code
 * cursor} and {@code limit} ({@link HistoryPaging#marketPage}) and answers with a page of the
 * listing. Netty thread (a RocksDB read, no lock shared with the journal thread).
 *
 * @param <T> the entry type
 */
abstract class MarketHistoryMethod<T> extends PublicReadMethod {
  private final HistoryListing<T> listing;

  /**
   * The method.
   *
   * @param method which method it is
   * @param readModel the read model
   * @param listing what it lists
   */
  MarketHistoryMethod(RpcMethod method, ReadModel readModel, HistoryListing<T> listing) {
    super(method, readModel);
    this.listing = listing;
  }

  @Override
  final JsonNode answer(Params p) {
    HistoryPaging.MarketPage q = HistoryPaging.marketPage(p, readModel);
    return listing.page(readModel, q.market(), q.cursor(), q.limit());
  }
}
