package io.zkperp.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's batches as {@code perp_getBatches} pages them (newest first, 100 a page): per batch
 * its status, its transactions (the steps it holds) and the wall-clock times this node saw it reach
 * each status. Counts the transactions of the batches that reached a status inside a time window
 * (settled = SEALED, proven = PROVEN, committed = COMMITTED). Immutable once read; any thread.
 */
final class BatchLedger {
  /**
   * One batch.
   *
   * @param number the batch number
   * @param status its status when read
   * @param transactions the transactions (steps) it holds
   * @param sealedMs when it was sealed (unix ms), or 0 if this node did not see it
   * @param provenMs when it was proven, or 0
   * @param committedMs when it was committed, or 0
   * @param proofMillis its proof's time (PROVING to PROVEN), or 0
   */
  record Batch(
      long number,
      String status,
      long transactions,
      long sealedMs,
      long provenMs,
      long committedMs,
      long proofMillis) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Batch> batches;

  private BatchLedger(List<Batch> batches) {
    this.batches = batches;
  }

  /**
   * Reads every batch of a node.
   *
   * @param url the node's JSON-RPC URL
   * @return the ledger
   * @throws IOException the node did not answer as expected
   * @throws InterruptedException if interrupted
   */
  static BatchLedger read(URI url) throws IOException, InterruptedException {
    List<Batch> out = new ArrayList<>();
    String cursor = null;
    try (HttpClient http = HttpClient.newHttpClient()) {
      do {
        String params =
            cursor == null ? "{\"limit\":100}" : "{\"limit\":100,\"cursor\":\"" + cursor + "\"}";
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getBatches\",\"params\":"
                                + params
                                + "}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode result = JSON.readTree(r.body()).path("result");
        if (!result.has("batches")) {
          throw new IOException("perp_getBatches answered " + r.body());
        }
        for (JsonNode b : result.get("batches")) {
          JsonNode times = b.path("times");
          out.add(
              new Batch(
                  b.path("batch").asLong(),
                  b.path("status").asText(),
                  b.path("transactions").asLong(),
                  times.path("SEALED").asLong(0),
                  times.path("PROVEN").asLong(0),
                  times.path("COMMITTED").asLong(0),
                  b.path("proofMillis").asLong(0)));
        }
        cursor = result.path("nextCursor").isNull() ? null : result.path("nextCursor").asText();
      } while (cursor != null);
    }
    return new BatchLedger(List.copyOf(out));
  }

  /**
   * The batches, newest first.
   *
   * @return them
   */
  List<Batch> batches() {
    return batches;
  }

  /**
   * Transactions of the batches sealed in {@code [fromMs, toMs)}.
   *
   * @param fromMs unix ms
   * @param toMs unix ms
   * @return their sum
   */
  long sealedIn(long fromMs, long toMs) {
    return batches.stream()
        .filter(b -> b.sealedMs() >= fromMs && b.sealedMs() < toMs)
        .mapToLong(Batch::transactions)
        .sum();
  }

  /** Transactions of the batches proven in {@code [fromMs, toMs)}. */
  long provenIn(long fromMs, long toMs) {
    return batches.stream()
        .filter(b -> b.provenMs() >= fromMs && b.provenMs() < toMs)
        .mapToLong(Batch::transactions)
        .sum();
  }

  /** Transactions of the batches committed in {@code [fromMs, toMs)}. */
  long committedIn(long fromMs, long toMs) {
    return batches.stream()
        .filter(b -> b.committedMs() >= fromMs && b.committedMs() < toMs)
        .mapToLong(Batch::transactions)
        .sum();
  }

  /** Batches sealed in {@code [fromMs, toMs)}. */
  long batchesSealedIn(long fromMs, long toMs) {
    return batches.stream().filter(b -> b.sealedMs() >= fromMs && b.sealedMs() < toMs).count();
  }

  /** Batches proven in {@code [fromMs, toMs)}. */
  long batchesProvenIn(long fromMs, long toMs) {
    return batches.stream().filter(b -> b.provenMs() >= fromMs && b.provenMs() < toMs).count();
  }

  /** The median proof time of the batches proven in {@code [fromMs, toMs)}, ms, or 0. */
  long medianProofMillisIn(long fromMs, long toMs) {
    long[] t =
        batches.stream()
            .filter(b -> b.provenMs() >= fromMs && b.provenMs() < toMs && b.proofMillis() > 0)
            .mapToLong(Batch::proofMillis)
            .sorted()
            .toArray();
    return t.length == 0 ? 0 : t[t.length / 2];
  }
}
