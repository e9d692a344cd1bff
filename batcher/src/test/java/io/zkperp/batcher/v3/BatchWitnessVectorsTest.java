package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.witness.BatchHeaderV3;
import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.batcher.v3.witness.BatchStep;
import io.zkperp.batcher.v3.witness.BatchWitnessEncoder;
import io.zkperp.batcher.v3.witness.BatchWitnessV3;
import io.zkperp.batcher.v3.witness.StepGroup;
import io.zkperp.protocol.field.Fr;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every batch of {@code test-vectors/batch-v3.json} (sealed by {@code batchv3.Seal}) with
 * the Java executions on a real RocksDB {@link StateStoreV2} and seals it with {@link
 * BatchWitnessEncoder}: for the batches without trades the encoded witness, the commitment bytes,
 * the public input and the tables are Go's byte for byte; for the batch with trades (whose slots
 * the trade encoder fills) the tables, commitment and public input are Go's and the witness differs
 * from Go's only inside the trade slots' elements.
 */
class BatchWitnessVectorsTest {
  @TempDir Path dir;

  private static String hex(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }

  private static List<Fr> table(JsonNode n) {
    List<Fr> out = new ArrayList<>();
    n.forEach(e -> out.add(TradeVectors.fr(e)));
    return out;
  }

  @Test
  void everyBatchIsGosByteForByte() throws Exception {
    JsonNode file = BatchV3Vectors.BATCHES;
    BatchV3Vectors.Executions ex = BatchV3Vectors.Executions.of(BatchV3Vectors.domain(file));
    int identical = 0;
    int withTrades = 0;
    for (JsonNode sc : file.get("scenarios")) {
      String name = sc.get("name").asText();
      BatchShape shape = BatchV3Vectors.shape(sc);
      BatchHeaderV3 header = BatchV3Vectors.header(file, sc);
      byte[] goWitness = BatchV3Vectors.hex(sc.get("witness"));
      int tradeElements = shape.trades() > 0 ? tradeElements(shape, goWitness.length) : 0;
      BatchWitnessEncoder encoder =
          shape.trades() > 0
              ? new BatchWitnessEncoder((n, k) -> tradeElements)
              : new BatchWitnessEncoder();
      try (StateStoreV2 s = StateStoreV2.open(dir.resolve(name), TradeVectors.options())) {
        TradeVectors.initialState(s, sc, name);
        StateBatchV2 b = s.beginBatch();
        List<BatchStep> steps = new ArrayList<>();
        for (JsonNode t : sc.get("steps")) {
          BatchStep step =
              BatchV3Vectors.execute(ex, b, t, BatchV3Vectors.batchTime(sc), tradeElements);
          assertThat(step.newRoot())
              .as("%s: %s", name, t.get("note").asText())
              .isEqualTo(TradeVectors.fr(t.get("root")));
          steps.add(step);
        }
        BatchWitnessV3 w = encoder.encode(shape, header, steps);
        assertThat(w.roots()).as(name + ": roots").isEqualTo(table(sc.get("roots")));
        assertThat(w.priority()).as(name + ": priority").isEqualTo(table(sc.get("priority")));
        assertThat(w.priorityCount()).as(name).isEqualTo(sc.get("priorityCount").asInt());
        assertThat(hex(w.commitment()))
            .as(name + ": commitment")
            .isEqualTo(sc.get("commitment").asText());
        assertThat(w.publicInput())
            .as(name + ": public input")
            .isEqualTo(TradeVectors.fr(sc.get("publicInput")));
        assertThat(w.witness()).as(name + ": witness length").hasSize(goWitness.length);
        assertThat(encoder.encodedSize(shape)).isEqualTo(goWitness.length);
        if (shape.trades() == 0) {
          assertThat(hex(w.witness())).as(name + ": witness").isEqualTo(sc.get("witness").asText());
          identical++;
        } else {
          // the trade slots come first: [start, end) holds their σ, flags and elements
          int start = goWitness.length - slotBytes(encoder, shape);
          int end = start + shape.trades() * (3 + 32 * tradeElements);
          byte[] java = w.witness();
          assertThat(Arrays.copyOf(java, start))
              .as(name + ": before the trade slots")
              .isEqualTo(Arrays.copyOf(goWitness, start));
          assertThat(Arrays.copyOfRange(java, end, java.length))
              .as(name + ": after the trade slots")
              .isEqualTo(Arrays.copyOfRange(goWitness, end, goWitness.length));
          for (int j = 0; j < shape.trades(); j++) {
            int at = start + j * (3 + 32 * tradeElements);
            assertThat(Arrays.copyOfRange(java, at, at + 3))
                .as(name + ": trade slot σ and flag")
                .isEqualTo(Arrays.copyOfRange(goWitness, at, at + 3));
          }
          withTrades++;
        }
        assertThat(w.newRoot()).isEqualTo(b.roots().stateRoot());
        b.abort();
      }
    }
    assertThat(identical).isEqualTo(3);
    assertThat(withTrades).isEqualTo(1);
  }

  /** The bytes of every slot of the shape. */
  private static int slotBytes(BatchWitnessEncoder encoder, BatchShape shape) throws Exception {
    int n = 0;
    for (StepGroup g : StepGroup.values()) {
      if (shape.slots(g) > 0) {
        n += shape.slots(g) * (3 + 32 * encoder.elementsPerSlot(g, shape));
      }
    }
    return n;
  }

  /** A trade slot's element count, from the length of Go's witness and every other group's. */
  private static int tradeElements(BatchShape shape, int length) throws Exception {
    BatchWitnessEncoder probe = new BatchWitnessEncoder((n, k) -> 0);
    int withoutTrades = probe.encodedSize(shape);
    return (length - withoutTrades) / (32 * shape.trades());
  }
}
