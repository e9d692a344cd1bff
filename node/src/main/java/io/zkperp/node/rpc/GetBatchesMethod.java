package io.zkperp.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.BatchStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * {@code perp_getBatches}: a page of the batch store, newest first. The cursor is the number of the
 * last batch returned (as a decimal string); the next page holds the batches below it. Batch
 * numbers are contiguous from 1, so a page is one ascending range read. Netty thread (RocksDB
 * reads; no lock shared with the stages).
 */
public final class GetBatchesMethod implements RpcHandler {
  /** The most batches per call. */
  static final int MAX_LIMIT = 100;

  /** Batches per call when {@code limit} is absent. */
  static final int DEFAULT_LIMIT = 20;

  private static final Pattern CURSOR = Pattern.compile("[1-9][0-9]{0,17}");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final BatchStore batches;
  private final BatchTimeline timeline;
  private final BatchFormat format;

  /**
   * The method for format v2 batches.
   *
   * @param batches the batch store
   * @param timeline when this node saw each batch's statuses
   */
  public GetBatchesMethod(BatchStore batches, BatchTimeline timeline) {
    this(batches, timeline, BatchFormat.V2);
  }

  /**
   * The method.
   *
   * @param batches the batch store
   * @param timeline when this node saw each batch's statuses
   * @param format how the node's batches' commitments read (state roots, the format's fields)
   */
  public GetBatchesMethod(BatchStore batches, BatchTimeline timeline, BatchFormat format) {
    this.batches = batches;
    this.timeline = timeline;
    this.format = java.util.Objects.requireNonNull(format, "format");
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.GET_BATCHES;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    int limit = (int) p.longValue("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    String cursor = p.stringValue("cursor", null);
    List<BatchRecord> page;
    try {
      long before = batches.last().map(BatchRecord::number).orElse(0L) + 1;
      if (cursor != null && CURSOR.matcher(cursor).matches()) {
        before = Math.min(before, Long.parseLong(cursor));
      } else if (cursor != null) {
        throw new RpcException(
            RpcError.INVALID_PARAMS,
            "parameter \"cursor\" is not a cursor: expected the \"nextCursor\" of a previous"
                + " answer (a batch number ≥ 1, e.g. \"42\")");
      }
      long from = Math.max(1, before - limit);
      page = before <= 1 ? List.of() : batches.range(from, (int) (before - from));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode out = JSON.objectNode();
    ArrayNode items = out.putArray("batches");
    for (int i = page.size() - 1; i >= 0; i--) {
      items.add(entry(page.get(i)));
    }
    long oldest = page.isEmpty() ? 1 : page.get(0).number();
    if (oldest > 1) {
      out.put("nextCursor", Long.toString(oldest));
    } else {
      out.putNull("nextCursor");
    }
    return CompletableFuture.completedFuture(out);
  }

  /** One batch: {@link SettlementMethods#batch} plus the format's fields, times and proof time. */
  private ObjectNode entry(BatchRecord r) {
    ObjectNode o = SettlementMethods.batch(r);
    format.describe(r, o);
    Map<BatchStatus, Long> seen = timeline.of(r.number());
    ObjectNode times = o.putObject("times");
    seen.forEach((s, t) -> times.put(s.name(), t));
    Long proving = seen.get(BatchStatus.PROVING);
    Long proven = seen.get(BatchStatus.PROVEN);
    if (proving != null && proven != null) {
      o.put("proofMillis", proven - proving);
    }
    return o;
  }
}
