package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every scenario of {@code test-vectors/perp-trade-steps.json} (written by the Go reference
 * {@code perpstep.ApplyTrade}) through {@link TradeExecution} on a real RocksDB {@link
 * StateStoreV2}: the initial state built from its records has the Go root; after every accepted
 * trade the batch has the Go state root and the trade's openings chain from the root before to it;
 * every refused trade is refused with the Go rules (mapped to {@link TradeRefusalReason}) and
 * leaves the root unchanged; the batch of a scenario commits to the last root.
 */
class TradeStepsVectorsTest {
  @TempDir Path dir;

  @Test
  void everyScenarioAgreesWithTheGoReferenceRootForRoot() throws Exception {
    TradeExecution exec = new TradeExecution(TradeVectors.domain());
    Set<TradeRefusalReason> seen = EnumSet.noneOf(TradeRefusalReason.class);
    int accepted = 0;
    int scenarios = 0;
    for (JsonNode sc : TradeVectors.V.get("scenarios")) {
      String name = sc.get("name").asText();
      try (StateStoreV2 s = StateStoreV2.open(dir.resolve(name), TradeVectors.options())) {
        StateRootsV2 initial = TradeVectors.initialState(s, sc, name);
        StateBatchV2 b = s.beginBatch();
        StateRootsV2 last = initial;
        for (JsonNode t : sc.get("trades")) {
          String note = name + ": " + t.get("note").asText();
          StateRootsV2 before = b.roots();
          assertThat(before).as(note).isEqualTo(last);
          try {
            TradeWitness w = exec.execute(b, TradeVectors.trade(t));
            if (!t.has("root")) {
              fail("%s: accepted, Go refused it with %s", note, TradeVectors.expectedRefusal(t));
            }
            assertThat(w.rootsAfter().stateRoot())
                .as(note)
                .isEqualTo(TradeVectors.fr(t.get("root")));
            assertThat(w.rootsBefore()).as(note).isEqualTo(before);
            assertThat(w.isConsistent()).as(note).isTrue();
            assertThat(b.roots()).as(note).isEqualTo(w.rootsAfter());
            last = w.rootsAfter();
            accepted++;
          } catch (TradeRefusedException e) {
            if (t.has("root")) {
              fail("%s: refused with %s, Go accepted it", note, e.reasons());
            }
            assertThat(e.reasons()).as(note).isEqualTo(TradeVectors.expectedRefusal(t));
            assertThat(b.roots()).as(note + ": a refusal changes nothing").isEqualTo(before);
            seen.addAll(e.reasons());
          }
        }
        assertThat(b.commit()).as(name).isEqualTo(last);
        assertThat(s.roots()).isEqualTo(last);
        scenarios++;
      }
    }
    assertThat(scenarios).isEqualTo(4);
    assertThat(accepted).isGreaterThanOrEqualTo(8);
    // every refusal but POSITIONS is replayed (ApplyTrade itself picks the entry the list rule
    // gives, so a trade reaches that rule only as TOO_MANY_POSITIONS)
    Set<TradeRefusalReason> all = EnumSet.allOf(TradeRefusalReason.class);
    all.remove(TradeRefusalReason.POSITIONS);
    assertThat(seen).containsAll(all);
  }
}
