package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.bridge.history.HistoryStore;
import java.util.function.BiConsumer;

/**
 * One history listing of a market or an account: which read model page it answers with and how each
 * entry is written. Immutable; any thread (the page is read on the calling thread).
 *
 * @param field the name of the entries' array in the result
 * @param reader reads a page of the market's or account's entries
 * @param item writes one entry into a fresh object
 * @param <T> the entry type
 */
record HistoryListing<T>(String field, Reader<T> reader, BiConsumer<ObjectNode, T> item) {
  /**
   * Reads a page of one market's or one account's entries, newest first: a read model listing such
   * as {@code ReadModel::trades}.
   *
   * @param <T> the entry type
   */
  @FunctionalInterface
  interface Reader<T> {
    /**
     * The page.
     *
     * @param readModel the read model
     * @param owner the market or the account
     * @param after where to continue
     * @param limit the most entries
     * @return the page
     */
    HistoryStore.Page<T> read(ReadModel readModel, int owner, HistoryCursor after, int limit);
  }

  /**
   * A page as JSON: {@code {field: [entry, …], nextCursor}}.
   *
   * @param readModel the read model
   * @param owner the market or the account
   * @param after where to continue
   * @param limit the most entries
   * @return the result object
   */
  ObjectNode page(ReadModel readModel, int owner, HistoryCursor after, int limit) {
    return HistoryPaging.json(field, reader.read(readModel, owner, after, limit), item);
  }
}
