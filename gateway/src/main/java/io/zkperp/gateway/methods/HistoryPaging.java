package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import java.util.function.BiConsumer;

/** The {@code cursor} / {@code limit} parameters and {@code nextCursor} of history listings. */
final class HistoryPaging {
  /** The most entries per call. */
  static final int MAX_LIMIT = 1000;

  /** Entries per call when {@code limit} is absent. */
  static final int DEFAULT_LIMIT = 100;

  private HistoryPaging() {}

  /**
   * The {@code cursor} parameter.
   *
   * @param p the parameters
   * @return the cursor, {@link HistoryCursor#NEWEST} when absent
   * @throws RpcException INVALID_PARAMS if it is not a cursor
   */
  static HistoryCursor cursor(Params p) {
    String text = p.stringValue("cursor", null);
    if (text == null) {
      return HistoryCursor.NEWEST;
    }
    try {
      return HistoryCursor.parse(text);
    } catch (IllegalArgumentException e) {
      throw new RpcException(RpcError.INVALID_PARAMS, "parameter \"cursor\" is " + e.getMessage());
    }
  }

  /**
   * The {@code limit} parameter, 1 to {@link #MAX_LIMIT} (default {@link #DEFAULT_LIMIT}).
   *
   * @param p the parameters
   * @return the limit
   */
  static int limit(Params p) {
    return (int) p.longValue("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
  }

  /**
   * A page as JSON: {@code {field: [item, …], nextCursor}}, each item written by {@code item} into
   * a fresh object.
   *
   * @param field the name of the items' array
   * @param page the page
   * @param item writes one item
   * @param <T> the item type
   * @return the result object
   */
  static <T> ObjectNode json(
      String field, HistoryStore.Page<T> page, BiConsumer<ObjectNode, T> item) {
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray(field);
    for (T t : page.items()) {
      item.accept(items.addObject(), t);
    }
    next(out, page);
    return out;
  }

  /**
   * Writes {@code nextCursor} (null on the last page).
   *
   * @param out the result object
   * @param page the page
   */
  private static void next(ObjectNode out, HistoryStore.Page<?> page) {
    if (page.next() == null) {
      out.putNull("nextCursor");
    } else {
      out.put("nextCursor", page.next().toString());
    }
  }

  /**
   * A market's listing request: its {@code market}, {@code cursor} and {@code limit}.
   *
   * @param market the market, listed
   * @param cursor where to continue
   * @param limit the most entries
   */
  record MarketPage(int market, HistoryCursor cursor, int limit) {}

  /**
   * Reads {@code market} (0 to 65,535), {@link #cursor} and {@link #limit}, in that order, then
   * checks that the market is listed.
   *
   * @param p the parameters
   * @param readModel the read model
   * @return the request
   * @throws RpcException INVALID_PARAMS for a bad parameter, UNKNOWN_MARKET for a market not listed
   */
  static MarketPage marketPage(Params p, io.zkperp.gateway.bridge.ReadModel readModel) {
    int market = (int) p.longValue("market", 0, 65_535);
    HistoryCursor cursor = cursor(p);
    int limit = limit(p);
    listedMarket(readModel, market);
    return new MarketPage(market, cursor, limit);
  }

  /**
   * Checks that a request's market is listed (history listings, {@code perp_subscribe}).
   *
   * @param readModel the read model
   * @param market the market of the request
   * @return the market
   * @throws RpcException UNKNOWN_MARKET if it is not listed
   */
  static int listedMarket(io.zkperp.gateway.bridge.ReadModel readModel, int market) {
    if (!readModel.hasMarket(market)) {
      throw new RpcException(
          RpcError.of(io.zkperp.sequencer.RejectReason.UNKNOWN_MARKET),
          "market " + market + " is not listed");
    }
    return market;
  }
}
