package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.witness.BatchHeaderV3;
import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.batcher.v3.witness.BatchStep;
import io.zkperp.batcher.v3.witness.BatchWitnessEncoder;
import io.zkperp.batcher.v3.witness.BatchWitnessV3;
import io.zkperp.batcher.v3.witness.TradeBatchStep;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every batch of {@code test-vectors/batch-v3.json} (sealed by {@code batchv3.Seal}) with
 * the Java executions on a real RocksDB {@link StateStoreV2} and seals it with {@link
 * BatchWitnessEncoder}: every step's root and public data, the tables, the commitment bytes, the
 * public input and the encoded witness (trade slots included) are Go's byte for byte.
 */
class BatchWitnessVectorsTest {
  @TempDir Path dir;

  @Test
  void everyBatchIsGosByteForByte() throws Exception {
    JsonNode file = BatchV3Vectors.BATCHES;
    BatchV3Vectors.Executions ex = BatchV3Vectors.Executions.of(BatchV3Vectors.domain(file));
    int identical = 0;
    int trades = 0;
    BatchWitnessEncoder encoder = new BatchWitnessEncoder();
    for (JsonNode sc : file.get("scenarios")) {
      String name = sc.get("name").asText();
      BatchShape shape = BatchV3Vectors.shape(sc);
      BatchHeaderV3 header = BatchV3Vectors.header(file, sc);
      try (StateStoreV2 s = StateStoreV2.open(dir.resolve(name), TradeVectors.options())) {
        TradeVectors.initialState(s, sc, name);
        StateBatchV2 b = s.beginBatch();
        List<BatchStep> steps = new ArrayList<>();
        for (JsonNode t : sc.get("steps")) {
          BatchStep step = BatchV3Vectors.execute(ex, b, t, BatchV3Vectors.batchTime(sc));
          String note = name + ": " + t.get("note").asText();
          assertThat(step.newRoot()).as(note).isEqualTo(TradeVectors.fr(t.get("root")));
          if (t.has("publicData")) {
            assertThat(BatchV3Vectors.hexString(step.publicData()))
                .as(note + ": public data")
                .isEqualTo(t.get("publicData").asText());
          }
          if (step instanceof TradeBatchStep) {
            trades++;
          }
          steps.add(step);
        }
        BatchWitnessV3 w = encoder.encode(shape, header, steps);
        assertThat(w.roots()).as(name + ": roots").isEqualTo(BatchV3Vectors.table(sc.get("roots")));
        assertThat(w.priority())
            .as(name + ": priority")
            .isEqualTo(BatchV3Vectors.table(sc.get("priority")));
        assertThat(w.priorityCount()).as(name).isEqualTo(sc.get("priorityCount").asInt());
        assertThat(BatchV3Vectors.hexString(w.commitment()))
            .as(name + ": commitment")
            .isEqualTo(sc.get("commitment").asText());
        assertThat(w.publicInput())
            .as(name + ": public input")
            .isEqualTo(TradeVectors.fr(sc.get("publicInput")));
        assertThat(encoder.encodedSize(shape)).isEqualTo(w.witness().length);
        assertThat(BatchV3Vectors.hexString(w.witness()))
            .as(name + ": witness")
            .isEqualTo(sc.get("witness").asText());
        identical++;
        assertThat(w.newRoot()).isEqualTo(b.roots().stateRoot());
        b.abort();
      }
    }
    assertThat(identical).isEqualTo(file.get("scenarios").size()).isEqualTo(4);
    assertThat(trades).as("trades encoded").isEqualTo(2);
  }
}
