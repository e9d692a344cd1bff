package io.zkperp.node.v3;

import static io.zkperp.node.v3.V3NodeItSupport.await;
import static io.zkperp.node.v3.V3NodeItSupport.lastSealed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.node.RollupNode;
import io.zkperp.node.v3.V3NodeItSupport.Rpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the tests of a format v3 {@link RollupNode} on anvil ({@link RollupNodeV3IT}, {@link
 * EscapeV3IT}) follow a journal record to L1: its settlement over {@code perp_getSettlement}, the
 * wait for its batch to be committed with the settlement never paused, a stored batch's last
 * record. The test's thread.
 */
final class V3SettlementWaits {
  private V3SettlementWaits() {}

  /** The record's settlement as {@code perp_getSettlement} gives it (its {@code result}). */
  static JsonNode settlement(Rpc rpc, long journalSeq) throws Exception {
    return rpc.call("perp_getSettlement", Map.of("journalSeq", journalSeq)).path("result");
  }

  /** {@link #awaitCommitted(RollupNode, Rpc, long, List)}, the states seen not kept. */
  static long awaitCommitted(RollupNode node, Rpc rpc, long journalSeq) throws Exception {
    return awaitCommitted(node, rpc, journalSeq, new ArrayList<>());
  }

  /**
   * Waits (up to 300 s) until the batch of a journal record is committed on L1, its settlement
   * never paused meanwhile, then until the settlement is idle with that batch the last sealed
   * (v3-tiny batches: one deposit slot, so the second deposit seals the first batch; the rest is
   * sealed by the time limit; proven by the worker, committed by the submitter: up to three v3-tiny
   * proofs on two workers, slow on a loaded 2-core machine, docs/benchmarks.md "Batch v3 proving").
   *
   * @param seen where the record's states as {@code perp_getSettlement} shows them (polled every
   *     100 ms) are added, each once, in the order seen
   * @return the record's batch
   */
  static long awaitCommitted(RollupNode node, Rpc rpc, long journalSeq, List<String> seen)
      throws Exception {
    JsonNode settled = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    while (System.nanoTime() < deadline) {
      settled = settlement(rpc, journalSeq);
      String status = settled.path("status").asText();
      if (seen.isEmpty() || !seen.getLast().equals(status)) {
        seen.add(status);
      }
      if (status.equals("COMMITTED")) {
        break;
      }
      assertThat(node.settlementStage().pausedAt())
          .as("paused: %s", node.settlementStage().pauseReason())
          .isZero();
      Thread.sleep(100);
    }
    assertThat(settled.path("status").asText()).as(settled.toString()).isEqualTo("COMMITTED");
    assertThat(settled.path("l1TxHash").asText()).startsWith("0x");
    long batch = settled.path("batch").asLong();
    await(
        "the settlement idle",
        () -> node.settlementStage().recordsWaiting() == 0 && lastSealed(node) == batch,
        30);
    assertThat(node.settlementStage().pausedAt()).as("not paused").isZero();
    return batch;
  }

  /** The journal sequence of a stored batch's last record. */
  static long batchLastSeq(RollupNode node, long batch) {
    try {
      return node.batches().get(batch).orElseThrow().lastSeq();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
