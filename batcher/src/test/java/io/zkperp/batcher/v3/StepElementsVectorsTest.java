package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.batcher.v3.witness.BatchStep;
import io.zkperp.batcher.v3.witness.StepElements;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateStoreV2;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays {@code test-vectors/step-elements.json} (batches sealed by {@code batchv3.Seal}) through
 * the Java executions on a real RocksDB {@link StateStoreV2}: each collateral step (margin shape, K
 * = 1 and 3) and each oracle and funding tick gives the Go root and public data, and {@link
 * io.zkperp.batcher.v3.witness.CollateralStepElements} / {@code TickStepElements} give the Go
 * element list name by name (a failure names the leaf) and the same bytes, of the count the encoder
 * reserves per slot.
 */
class StepElementsVectorsTest {
  @TempDir Path dir;

  @Test
  void everyStepsElementsAreGosNameByName() throws Exception {
    JsonNode file = BatchV3Vectors.ELEMENTS;
    BatchV3Vectors.Executions ex = BatchV3Vectors.Executions.of(BatchV3Vectors.domain(file));
    Map<String, Integer> types = new HashMap<>();
    int elements = 0;
    for (JsonNode sc : file.get("scenarios")) {
      String name = sc.get("name").asText();
      BatchShape shape = BatchV3Vectors.shape(sc);
      try (StateStoreV2 s = StateStoreV2.open(dir.resolve(name), TradeVectors.options())) {
        TradeVectors.initialState(s, sc, name);
        StateBatchV2 b = s.beginBatch();
        int i = 0;
        for (JsonNode t : sc.get("steps")) {
          String note = name + " step " + i + " (" + t.get("note").asText() + ")";
          BatchStep step = BatchV3Vectors.execute(ex, b, t, BatchV3Vectors.batchTime(sc));
          assertThat(step.newRoot()).as(note + ": root").isEqualTo(TradeVectors.fr(t.get("root")));
          assertThat(HexFormat.of().formatHex(step.publicData()))
              .as(note + ": public data")
              .isEqualTo(t.get("publicData").asText().substring(2));
          StepElements e = step.elements(shape, i);
          JsonNode want = t.get("elements");
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          for (int j = 0; j < Math.min(want.size(), e.size()); j++) {
            String leaf = want.get(j).get("name").asText();
            assertThat(e.names().get(j)).as("%s: element %d's name", note, j).isEqualTo(leaf);
            assertThat(e.values().get(j))
                .as("%s: leaf %s", note, leaf)
                .isEqualTo(TradeVectors.fr(want.get(j).get("value")));
            bytes.write(BatchV3Vectors.hex(want.get(j).get("value")));
          }
          assertThat(e.size()).as(note + ": element count").isEqualTo(want.size());
          assertThat(e.encode()).as(note + ": bytes").isEqualTo(bytes.toByteArray());
          types.merge(t.get("type").asText(), 1, Integer::sum);
          elements += e.size();
          i++;
        }
        b.abort();
      }
    }
    assertThat(types.keySet())
        .containsExactlyInAnyOrder(
            "deposit",
            "withdrawal",
            "transfer",
            "forced-withdrawal",
            "oracle-tick",
            "funding-tick");
    assertThat(elements).isGreaterThan(2_000);
  }
}
