package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import io.zkperp.state.v2.StateViewV2;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every scenario of {@code test-vectors/collateral-steps.json} (written by the Go
 * references of {@code collateralstep}) through {@link CollateralExecution} on a real RocksDB
 * {@link StateStoreV2}: the initial state has the Go root; after every accepted transaction the
 * batch has the Go state root, the openings chain from the root before to it, and the public data
 * and the priority operation are byte-identical to the Go step's; every refused one is refused with
 * the Go rules (mapped to {@link CollateralRefusalReason}) and leaves the root unchanged; the batch
 * of a scenario commits to the last root, and the store's proofs then match the last openings.
 */
class CollateralStepsVectorsTest {
  @TempDir Path dir;

  @Test
  void everyScenarioAgreesWithTheGoReferenceRootForRoot() throws Exception {
    CollateralExecution exec = new CollateralExecution(CollateralVectors.domain());
    Set<CollateralRefusalReason> seen = EnumSet.noneOf(CollateralRefusalReason.class);
    Map<String, Integer> accepted = new HashMap<>();
    int scenarios = 0;
    int zeroPaid = 0;
    for (JsonNode sc : CollateralVectors.V.get("scenarios")) {
      String name = sc.get("name").asText();
      try (StateStoreV2 s = StateStoreV2.open(dir.resolve(name), TradeVectors.options())) {
        StateRootsV2 initial = TradeVectors.initialState(s, sc, name);
        StateBatchV2 b = s.beginBatch();
        StateRootsV2 last = initial;
        Map<Long, AccountLeafUpdateV2> lastOpening = new HashMap<>();
        for (JsonNode t : sc.get("steps")) {
          String note = name + ": " + t.get("note").asText();
          StateRootsV2 before = b.roots();
          assertThat(before).as(note).isEqualTo(last);
          CollateralTransaction tx = CollateralVectors.transaction(t);
          try {
            CollateralStepWitness w = exec.execute(b, tx);
            if (!t.has("root")) {
              fail(
                  "%s: accepted, Go refused it with %s",
                  note, CollateralVectors.expectedRefusal(t));
            }
            assertThat(w.rootsAfter().stateRoot())
                .as(note)
                .isEqualTo(TradeVectors.fr(t.get("root")));
            assertThat(w.rootsBefore()).as(note).isEqualTo(before);
            assertThat(w.isConsistent()).as(note).isTrue();
            assertThat(b.roots()).as(note).isEqualTo(w.rootsAfter());
            assertThat(HexFormat.of().formatHex(w.publicData()))
                .as(note + ": public data")
                .isEqualTo(t.get("publicData").asText().substring(2));
            if (t.has("priorityOp")) {
              assertThat(w.priorityOperation())
                  .as(note + ": priority operation")
                  .isEqualTo(TradeVectors.fr(t.get("priorityOp")));
            } else {
              assertThat(w.priorityOperation()).as(note).isNull();
            }
            assertThat(w.openings())
                .hasSize(tx instanceof TransferTransaction ? 2 : 1)
                .allSatisfy(u -> lastOpening.put(u.accountId(), u));
            if (tx instanceof ForcedWithdrawalTransaction && w.paid() == 0) {
              zeroPaid++;
              assertThat(w.rootsAfter()).as(note + ": pays 0, changes nothing").isEqualTo(before);
            }
            last = w.rootsAfter();
            accepted.merge(t.get("type").asText(), 1, Integer::sum);
          } catch (CollateralRefusedException e) {
            if (t.has("root")) {
              fail("%s: refused with %s, Go accepted it", note, e.reasons());
            }
            assertThat(e.reasons()).as(note).isEqualTo(CollateralVectors.expectedRefusal(t));
            assertThat(b.roots()).as(note + ": a refusal changes nothing").isEqualTo(before);
            seen.addAll(e.reasons());
          }
        }
        assertThat(b.commit()).as(name).isEqualTo(last);
        assertThat(s.roots()).isEqualTo(last);
        try (StateViewV2 v = s.view()) {
          for (AccountLeafUpdateV2 u : lastOpening.values()) {
            assertThat(v.account(u.accountId())).as(name).isEqualTo(u.after());
          }
        }
        scenarios++;
      }
    }
    assertThat(scenarios).isEqualTo(3);
    assertThat(accepted.keySet())
        .containsExactlyInAnyOrder("deposit", "withdrawal", "transfer", "forced-withdrawal");
    assertThat(accepted.values().stream().mapToInt(Integer::intValue).sum())
        .isGreaterThanOrEqualTo(40);
    assertThat(zeroPaid).isGreaterThanOrEqualTo(3);
    assertThat(seen).containsExactlyInAnyOrder(CollateralRefusalReason.values());
  }
}
