package io.zkperp.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.gateway.methods.DiscoverMethod;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.BatchStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code perp_getBatches} on a real RocksDB batch store: pages newest first, the cursor chain
 * covers every batch once, state roots come from the commitment, times and proof time from what the
 * store's listener saw, and bad cursors and limits are typed errors.
 */
class GetBatchesMethodTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** A commitment input whose old root is {@code n} and new root {@code n + 1} (big-endian). */
  private static byte[] commitment(long n) {
    byte[] c = new byte[140];
    c[31] = (byte) n;
    c[63] = (byte) (n + 1);
    return c;
  }

  private static BatchRecord sealed(long n) {
    return BatchRecord.sealed(
        n, n * 10, n * 10 + 9, (int) n, 0, new byte[32], new byte[0], commitment(n));
  }

  private static JsonNode batchesSchema() {
    for (JsonNode m : DiscoverMethod.document().path("methods")) {
      if (m.path("name").asText().equals("perp_getBatches")) {
        return m.path("result").path("schema");
      }
    }
    throw new AssertionError("perp_getBatches is not in the OpenRPC document");
  }

  private static JsonNode call(GetBatchesMethod m, String params) throws Exception {
    return m.handle(Params.of(JSON.readTree(params), RpcMethod.GET_BATCHES.params())).get();
  }

  @Test
  void pagesNewestFirstWithRootsTimesAndProofTime() throws Exception {
    AtomicLong clock = new AtomicLong(1_000);
    try (BatchStore store = BatchStore.open(dir)) {
      GetBatchesMethod m = new GetBatchesMethod(store, BatchTimeline.follow(store, clock::get));
      assertThat(call(m, "{}").toString()).isEqualTo("{\"batches\":[],\"nextCursor\":null}");
      for (long n = 1; n <= 5; n++) {
        store.put(sealed(n));
      }
      BatchRecord b5 = sealed(5);
      clock.set(2_000);
      store.put(b5.withStatus(BatchStatus.PROVING));
      clock.set(2_750);
      store.put(b5.withStatus(BatchStatus.PROVING)); // a retried job: the first time stays
      store.put(b5.withStatus(BatchStatus.PROVING).proven(new byte[] {1}));
      clock.set(3_000);
      store.put(
          b5.withStatus(BatchStatus.PROVING)
              .proven(new byte[] {1})
              .committed("0x" + "ab".repeat(32), 77, 412_345));

      JsonNode first = call(m, "{\"limit\":2}");
      assertThat(first.path("batches")).hasSize(2);
      JsonNode top = first.path("batches").get(0);
      assertThat(top.path("batch").asLong()).isEqualTo(5);
      assertThat(top.path("status").asText()).isEqualTo("COMMITTED");
      assertThat(top.path("transactions").asInt()).isEqualTo(5);
      assertThat(top.path("firstJournalSeq").asLong()).isEqualTo(50);
      assertThat(top.path("l1Block").asLong()).isEqualTo(77);
      assertThat(top.path("l1GasUsed").asLong()).as("the commit's gas").isEqualTo(412_345);
      // every member of the answer is in the OpenRPC result schema (it allows no others)
      JsonNode item = batchesSchema().path("properties").path("batches").path("items");
      assertThat(item.path("additionalProperties").asBoolean(true)).isFalse();
      top.fieldNames()
          .forEachRemaining(
              f -> assertThat(item.path("properties").has(f)).as("schema has %s", f).isTrue());
      assertThat(top.path("oldStateRoot").asText()).isEqualTo("5");
      assertThat(top.path("newStateRoot").asText()).isEqualTo("6");
      assertThat(top.path("format").asText()).as("the v2 commitment layout").isEqualTo("v2");
      assertThat(top.path("times").toString())
          .isEqualTo("{\"SEALED\":1000,\"PROVING\":2000,\"PROVEN\":2750,\"COMMITTED\":3000}");
      assertThat(top.path("proofMillis").asLong()).isEqualTo(750);
      JsonNode second = first.path("batches").get(1);
      assertThat(second.path("batch").asLong()).isEqualTo(4);
      assertThat(second.has("l1TxHash")).isFalse();
      assertThat(second.has("l1GasUsed")).isFalse();
      assertThat(second.has("proofMillis")).isFalse();
      assertThat(first.path("nextCursor").asText()).isEqualTo("4");

      List<Long> all = new ArrayList<>();
      String cursor = null;
      do {
        JsonNode page =
            call(
                m,
                cursor == null ? "{\"limit\":2}" : "{\"limit\":2,\"cursor\":\"" + cursor + "\"}");
        page.path("batches").forEach(b -> all.add(b.path("batch").asLong()));
        cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
      } while (cursor != null);
      assertThat(all).containsExactly(5L, 4L, 3L, 2L, 1L);
      assertThat(call(m, "{}").path("batches")).hasSize(5);
      // a cursor past the newest lists from the newest; "1" is the end
      assertThat(
              call(m, "{\"cursor\":\"99\",\"limit\":1}")
                  .path("batches")
                  .get(0)
                  .path("batch")
                  .asLong())
          .isEqualTo(5);
      assertThat(call(m, "{\"cursor\":\"1\"}").toString())
          .isEqualTo("{\"batches\":[],\"nextCursor\":null}");
      assertThat(new BigInteger(top.path("newStateRoot").asText()))
          .isEqualTo(BigInteger.valueOf(6));
    }
  }

  @Test
  void badCursorsAndLimitsAreInvalidParams() throws Exception {
    try (BatchStore store = BatchStore.open(dir)) {
      GetBatchesMethod m = new GetBatchesMethod(store, new BatchTimeline(() -> 0));
      for (String bad :
          List.of(
              "{\"cursor\":\"0\"}",
              "{\"cursor\":\"-1\"}",
              "{\"cursor\":\"1.0\"}",
              "{\"cursor\":\"0x10\"}",
              "{\"cursor\":\"1234567890123456789\"}",
              "{\"cursor\":7}",
              "{\"limit\":0}",
              "{\"limit\":101}")) {
        assertThatThrownBy(() -> call(m, bad))
            .as(bad)
            .isInstanceOfSatisfying(
                RpcException.class, e -> assertThat(e.error()).isEqualTo(RpcError.INVALID_PARAMS));
      }
    }
  }
}
