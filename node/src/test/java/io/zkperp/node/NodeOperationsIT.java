package io.zkperp.node;

import static io.zkperp.node.NodeItSupport.TUSD;
import static io.zkperp.node.NodeItSupport.await;
import static io.zkperp.node.NodeItSupport.get;
import static io.zkperp.node.NodeItSupport.json;
import static io.zkperp.node.NodeItSupport.problem;
import static io.zkperp.node.NodeItSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.l1.AnvilExtension;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.L2Fixtures;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.prover.worker.JobId;
import io.zkperp.sequencer.command.DepositCollateral;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operating a settling node on a real anvil with real proofs — {@code /health}, crash drill (b) and
 * the finality stream: a prover worker that cannot run (its main class does not exist) stalls the
 * proving stage, and {@code /health} answers 503 naming the stage, how long it stalled and why;
 * with two workers that run, the batch is proven and committed — while it proves, the worker that
 * claimed it is SIGKILLed and the node takes two withdrawals (crash drill (b): the job is retried,
 * the batches land on L1 in order, each proven exactly once by the two workers) — and {@code
 * /health} is 200 again; an unsigned operator deposit the circuit cannot prove pauses the
 * settlement, and {@code /health} names the pause. A WebSocket subscriber of channel {@code
 * batches} sees every batch's states in order, with consecutive sequence numbers.
 */
class NodeOperationsIT {
  @RegisterExtension static final AnvilExtension anvil = new AnvilExtension();

  @TempDir Path dir;

  private static int attempts(WorkerProofJobs jobs, JobId id) {
    try {
      return jobs.client().store().attempts(id);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int provingWorker(WorkerProofJobs jobs, JobId id) {
    try {
      return jobs.client().provingWorker(id).orElse(-1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aStalledProverAndAPausedSettlementMakeTheNodeUnhealthyUntilTheyAdvance() throws Exception {
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d = NodeItSupport.deploy(l1);
      NodeItSupport.fundAndDeposit(
          l1, d, DevAccounts.account(2), NodeItSupport.l2Key(2), 1, 600 * TUSD);
      NodeConfig broken =
          NodeItSupport.config(
                  dir,
                  anvil.rpcUrl(),
                  d,
                  NodeItSupport.worker(dir)
                      .withMainClass("io.zkperp.node.NoSuchProverWorker", List.of()))
              .withStallAfter(Duration.ofSeconds(2));
      try (RollupNode node = RollupNode.open(broken)) {
        HttpResponse<String> up = get(node, "/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");
        NodeItSupport.mine(anvil.rpcUrl(), 1);
        await("batch 1 handed to the prover", () -> status(node, 1) == BatchStatus.PROVING, 30);
        // nothing proves it: after the stall limit the node is unhealthy, naming the stage
        await("proving reported stalled", () -> get(node, "/health").statusCode() == 503, 15);
        HttpResponse<String> down = get(node, "/health");
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode body = json(down.body());
        assertThat(body.path("status").asText()).isEqualTo("DOWN");
        JsonNode proving = problem(body, "proving");
        assertThat(proving.path("stalledSeconds").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(proving.path("reason").asText())
            .contains("batch 1 waits for its proof")
            .contains("restarted");
        // the other stages advance: only the prover is named
        assertThat(body.path("problems")).hasSize(1);
        assertThat(get(node, "/metrics").body())
            .containsPattern("node_stage_seconds_since_advance\\{stage=\"proving\"} [2-9]");
        assertThat(status(node, 1)).isEqualTo(BatchStatus.PROVING);
      }

      NodeConfig working =
          NodeItSupport.config(dir, anvil.rpcUrl(), d, NodeItSupport.worker(dir).withWorkers(2))
              .withStallAfter(Duration.ofSeconds(2));
      try (RollupNode node = RollupNode.open(working);
          BatchStream stream = BatchStream.subscribe(node.gateway().port())) {
        // crash drill (b) with two workers: the worker that claimed batch 1 is SIGKILLed while it
        // proves it; meanwhile the node takes two withdrawals; the job is retried by a worker
        WorkerProofJobs jobs = (WorkerProofJobs) node.proofJobs();
        assertThat(jobs.client().workers()).isEqualTo(2);
        JobId job = JobId.of(1, 1, node.batches().get(1).orElseThrow().witness());
        await("a worker proves batch 1", () -> attempts(jobs, job) >= 1, 60);
        await("its claim", () -> provingWorker(jobs, job) >= 0, 10);
        int victim = provingWorker(jobs, job);
        ProcessHandle worker = jobs.client().worker(victim).orElseThrow();
        assertThat(worker.destroyForcibly()).isTrue(); // SIGKILL
        CommandOutcome w =
            node.submitWithdrawal(
                L2Fixtures.withdrawal(
                    NodeItSupport.l2Key(2), 1, DevAccounts.account(2), 100 * TUSD, 0));
        assertThat(w).isInstanceOf(CommandOutcome.Accepted.class);
        await("batch 2 sealed", () -> node.settlement().lastSealed() >= 2, 30);
        CommandOutcome w2 =
            node.submitWithdrawal(
                L2Fixtures.withdrawal(
                    NodeItSupport.l2Key(2), 1, DevAccounts.account(2), 50 * TUSD, 1));
        assertThat(w2).isInstanceOf(CommandOutcome.Accepted.class);
        // the same job, now proven: the stage advances and the node is healthy
        await("batch 1 committed", () -> status(node, 1) == BatchStatus.COMMITTED, 120);
        await("batch 2 committed", () -> status(node, 2) == BatchStatus.COMMITTED, 120);
        await("batch 3 committed", () -> status(node, 3) == BatchStatus.COMMITTED, 120);
        assertThat(jobs.client().store().attempts(job)).as("job acknowledged").isZero();
        assertThat(jobs.client().restarts(victim)).isPositive();
        assertThat(jobs.client().restarts(1 - victim)).as("the other worker ran on").isZero();
        assertThat(jobs.client().worker(victim).orElseThrow().pid()).isNotEqualTo(worker.pid());
        assertThat(node.batches().get(2).orElseThrow().lastSeq())
            .isEqualTo(((CommandOutcome.Accepted) w).journalSeq());
        assertThat(node.batches().get(3).orElseThrow().lastSeq())
            .isEqualTo(((CommandOutcome.Accepted) w2).journalSeq());
        assertThat(node.tree().view().account(1).orElseThrow().collateral()).isEqualTo(450 * TUSD);
        // every batch proven exactly once, by the two workers together (the killed attempt
        // produced nothing); L1 has them in order (L1 blocks increase with the batch number)
        List<ProofJobs.ProverStats> provers = jobs.provers();
        assertThat(provers)
            .extracting(ProofJobs.ProverStats::prover)
            .containsExactly("worker-0", "worker-1");
        assertThat(provers.stream().mapToLong(ProofJobs.ProverStats::proven).sum()).isEqualTo(3);
        assertThat(provers.get(1 - victim).proven()).as("the survivor proved").isPositive();
        assertThat(provers).allSatisfy(p -> assertThat(p.failed()).isZero());
        assertThat(node.batches().get(1).orElseThrow().l1Block())
            .isLessThan(node.batches().get(2).orElseThrow().l1Block());
        assertThat(node.batches().get(2).orElseThrow().l1Block())
            .isLessThan(node.batches().get(3).orElseThrow().l1Block());
        String metrics = get(node, "/metrics").body();
        assertThat(metrics)
            .contains("prover_worker_jobs_proven{worker=\"worker-" + (1 - victim) + "\"}")
            .containsPattern("prover_worker_restarts\\{worker=\"worker-" + victim + "\"} [1-9]")
            .contains("settlement_sealing_held 0.0")
            .contains("settlement_batches_awaiting_proof 0.0");
        NodeItSupport.mine(anvil.rpcUrl(), 2); // finality 1
        await("batch 3 final", () -> status(node, 3) == BatchStatus.FINAL, 30);
        assertThat(status(node, 1)).isEqualTo(BatchStatus.FINAL);
        assertThat(status(node, 2)).isEqualTo(BatchStatus.FINAL);
        // the finality stream: a snapshot (batch 1 was being proven), then every change in order
        List<JsonNode> seen = stream.until(3, "FINAL");
        JsonNode snapshot = seen.getFirst().path("params");
        assertThat(snapshot.path("type").asText()).isEqualTo("snapshot");
        assertThat(snapshot.path("channel").asText()).isEqualTo("batches");
        assertThat(snapshot.path("batches")).hasSize(1);
        assertThat(snapshot.path("batches").get(0).path("status").asText()).isEqualTo("PROVING");
        long seq = snapshot.path("sequence").asLong();
        java.util.Map<Long, List<String>> states = new java.util.TreeMap<>();
        for (JsonNode n : seen.subList(1, seen.size())) {
          JsonNode p = n.path("params");
          assertThat(p.path("type").asText()).isEqualTo("update");
          assertThat(p.path("sequence").asLong()).isEqualTo(++seq);
          states
              .computeIfAbsent(p.path("batch").asLong(), b -> new java.util.ArrayList<>())
              .add(p.path("status").asText());
          if (p.path("status").asText().equals("COMMITTED")) {
            BatchRecord r = node.batches().get(p.path("batch").asLong()).orElseThrow();
            assertThat(p.path("l1TxHash").asText()).isEqualTo(r.l1TxHash());
            assertThat(p.path("l1Block").asLong()).isEqualTo(r.l1Block());
          }
        }
        assertThat(states.get(1L)).containsExactly("PROVEN", "COMMITTED", "FINAL");
        assertThat(states.get(2L))
            .containsExactly("SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL");
        assertThat(states.get(3L))
            .containsExactly("SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL");
        await("healthy again", () -> get(node, "/health").statusCode() == 200, 10);
        assertThat(get(node, "/health").body()).isEqualTo("{\"status\":\"UP\"}");

        // an operator deposit carries no L1 priority op: the circuit cannot prove it
        CommandOutcome o =
            node.gateway().bridge().submit(new DepositCollateral(1, 5)).get(10, TimeUnit.SECONDS);
        assertThat(o).isInstanceOf(CommandOutcome.Accepted.class);
        await("settlement paused", () -> node.settlement().pausedAt() != 0, 10);
        HttpResponse<String> paused = get(node, "/health");
        assertThat(paused.statusCode()).isEqualTo(503);
        JsonNode settlement = problem(json(paused.body()), "settlement");
        assertThat(settlement.path("reason").asText())
            .startsWith("paused at journal record " + node.settlement().pausedAt() + ": ")
            .contains("DepositCollateral");
      }
    }
  }
}
