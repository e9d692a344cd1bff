package io.zkperp.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The settlement's gauges on the gateway's Prometheus registry (served at {@code /metrics}):
 * records waiting for the settlement, whether it is paused and at which journal record, the last
 * sealed batch, batches per state, prover lag, proof jobs in flight, batches awaiting proofs and
 * whether back-pressure holds the settlement, per prover worker its jobs proven and failed, its
 * last and total proving time and its restarts, for each stage the seconds since it last advanced
 * and its failed passes ({@link StageProgress}), and — with L1 — the last batch L1 has, the L1 head
 * the submitter last read, the L1 gas this node spent on commits, the commits replaced with higher
 * fees and the newest L1 block the watcher scanned. Gauges are read on the scraping thread. Any
 * thread.
 */
final class NodeMetrics {
  private NodeMetrics() {}

  static void register(
      MeterRegistry registry,
      SettlementStage settlement,
      BatchStore batches,
      ProvingStage proving,
      ProofJobs jobs,
      L1Submitter submitter,
      DepositFeeder feeder) {
    gauge(registry, "settlement.records.waiting", () -> settlement.recordsWaiting());
    gauge(registry, "settlement.paused", () -> settlement.pausedAt() == 0 ? 0 : 1);
    gauge(registry, "settlement.paused.at.journal.seq", () -> settlement.pausedAt());
    gauge(registry, "settlement.last.sealed.batch", () -> settlement.lastSealed());
    gauge(registry, "prover.lag.seconds", proving::lagSeconds);
    gauge(registry, "prover.jobs.in.flight", () -> jobs.inFlight());
    gauge(registry, "settlement.batches.awaiting.proof", () -> settlement.awaitingProof());
    gauge(registry, "settlement.sealing.held", () -> settlement.sealingHeld() ? 1 : 0);
    List<ProofJobs.ProverStats> provers = jobs.provers();
    for (ProofJobs.ProverStats known : provers) {
      String name = known.prover();
      proverGauge(registry, "prover.worker.jobs.proven", name, () -> stat(jobs, name).proven());
      proverGauge(registry, "prover.worker.jobs.failed", name, () -> stat(jobs, name).failed());
      proverGauge(
          registry,
          "prover.worker.last.proof.seconds",
          name,
          () -> stat(jobs, name).lastProofSeconds());
      proverGauge(
          registry,
          "prover.worker.proof.seconds.total",
          name,
          () -> stat(jobs, name).proofSecondsTotal());
      proverGauge(registry, "prover.worker.restarts", name, () -> stat(jobs, name).restarts());
    }
    for (BatchStatus s : BatchStatus.values()) {
      Gauge.builder("settlement.batches", () -> count(batches, s))
          .tag("status", s.name())
          .description("batches of the node in this state")
          .register(registry);
    }
    List<StageProgress> stages = new java.util.ArrayList<>();
    stages.add(settlement.progress());
    stages.add(proving.progress());
    if (submitter != null) {
      stages.add(submitter.progress());
    }
    if (feeder != null) {
      stages.add(feeder.progress());
    }
    for (StageProgress s : stages) {
      Gauge.builder("node.stage.seconds.since.advance", s::secondsSinceAdvance)
          .tag("stage", s.stage())
          .description("seconds since the stage last moved work forward or found none waiting")
          .register(registry);
      FunctionCounter.builder("node.stage.failures", s, StageProgress::failures)
          .tag("stage", s.stage())
          .description("passes of the stage that failed (e.g. L1 unreachable) and were retried")
          .register(registry);
    }
    if (submitter != null) {
      gauge(registry, "l1.last.batch", () -> submitter.l1Batch());
      gauge(registry, "l1.head.block", () -> submitter.l1Head());
      gauge(registry, "l1.gas.spent", () -> submitter.gasSpent().doubleValue());
      gauge(registry, "l1.commit.replacements", () -> submitter.replacements());
      gauge(registry, "l1.rollup.frozen", () -> submitter.frozen() ? 1 : 0);
    }
    if (feeder != null) {
      gauge(registry, "l1.watcher.safe.head.block", () -> feeder.safeHead());
    }
  }

  /** By name: a distributed queue's provers may come and go, shifting their positions. */
  private static ProofJobs.ProverStats stat(ProofJobs jobs, String name) {
    for (ProofJobs.ProverStats s : jobs.provers()) {
      if (s.prover().equals(name)) {
        return s;
      }
    }
    return new ProofJobs.ProverStats(name, 0, 0, 0, 0, 0);
  }

  private static void proverGauge(
      MeterRegistry registry, String name, String prover, Supplier<Number> value) {
    Gauge.builder(name, value)
        .tag("worker", prover)
        .description("per prover worker, from its counters in the job directory")
        .register(registry);
  }

  private static void gauge(MeterRegistry registry, String name, Supplier<Number> value) {
    Gauge.builder(name, value).register(registry);
  }

  private static double count(BatchStore batches, BatchStatus s) {
    try {
      return batches.range(1, Integer.MAX_VALUE).stream().filter(r -> r.status() == s).count();
    } catch (IOException e) {
      return Double.NaN;
    }
  }
}
