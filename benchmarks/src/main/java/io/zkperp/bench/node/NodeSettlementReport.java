package io.zkperp.bench.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zkperp.bench.MachineInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run of {@link NodeSettlementBenchmark} measured, the figures derived from it, the
 * printed report and its JSON file. Phase A's rates are over the load's wall-clock window: settled
 * = transactions of the batches sealed in it, proven = of those proven in it, committed = of those
 * committed on L1 in it (the node's batch times, {@link BatchLedger}); prover lag growth is the
 * change of {@code prover_lag_seconds} from the window's first to its last sample, per minute. The
 * controlling thread.
 */
final class NodeSettlementReport {
  private final Map<String, Object> json = new LinkedHashMap<>();
  private final StringBuilder text = new StringBuilder();
  private OpenLoopSender.Result settlingAck;
  private String loadBefore;

  NodeSettlementReport(NodeSettlementBenchmark options, Instant started, String loadBefore) {
    this.loadBefore = loadBefore;
    json.put("harness", "io.zkperp.bench.node.NodeSettlementBenchmark");
    json.put("started", started.toString());
    json.put("machine", MachineInfo.describe());
    json.put("jdk", Runtime.version().toString());
    json.put("options", options.describeOptions());
    json.put("loadAverageBefore", loadBefore);
    line("# node settlement under load, " + started);
    line("machine: " + MachineInfo.describe() + "; JDK " + Runtime.version());
    line("options: " + String.join("; ", options.describeOptions()));
  }

  /** Phase A's figures. */
  void phaseA(
      int offeredRate,
      int offeredSeconds,
      OpenLoopSender.Result r,
      List<MetricsSampler.Sample> samples,
      BatchLedger ledger,
      long fromMs,
      long toMs,
      int failedReads) {
    double secs = (toMs - fromMs) / 1e3;
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("offeredRate", offeredRate);
    a.put("offeredSeconds", offeredSeconds);
    a.put("seconds", secs);
    a.put("orders", ack(r));
    a.put("fillsPerSecond", r.filled() / secs);
    a.put("fillShareOfAnswered", r.ok() == 0 ? 0 : (double) r.filled() / r.ok());
    a.put("filledLotsPerSecond", r.filledLots() / secs);
    long settled = ledger.sealedIn(fromMs, toMs);
    long proven = ledger.provenIn(fromMs, toMs);
    long committed = ledger.committedIn(fromMs, toMs);
    a.put("batchesSealed", ledger.batchesSealedIn(fromMs, toMs));
    a.put("batchesProven", ledger.batchesProvenIn(fromMs, toMs));
    a.put("settledTransactions", settled);
    a.put("provenTransactions", proven);
    a.put("committedTransactions", committed);
    a.put("settledTransactionsPerSecond", settled / secs);
    a.put("provenTransactionsPerSecond", proven / secs);
    a.put("committedTransactionsPerSecond", committed / secs);
    a.put("medianProofMillis", ledger.medianProofMillisIn(fromMs, toMs));
    a.put("metricsReadsFailed", failedReads);
    MetricsSampler.Sample first = samples.isEmpty() ? null : samples.get(0);
    MetricsSampler.Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    double lagGrowth = 0;
    double waitingGrowth = 0;
    long heldSamples = samples.stream().filter(MetricsSampler.Sample::sealingHeld).count();
    double maxLag =
        samples.stream().mapToDouble(MetricsSampler.Sample::proverLagSeconds).max().orElse(0);
    if (first != null && last.seconds() > first.seconds()) {
      double span = last.seconds() - first.seconds();
      lagGrowth = (last.proverLagSeconds() - first.proverLagSeconds()) / span * 60;
      waitingGrowth = (last.waiting() - first.waiting()) / span;
      a.put("proverLagSecondsAtStart", first.proverLagSeconds());
      a.put("proverLagSecondsAtEnd", last.proverLagSeconds());
      a.put("recordsWaitingAtStart", first.waiting());
      a.put("recordsWaitingAtEnd", last.waiting());
      a.put("batchesAwaitingProofAtEnd", last.awaitingProof());
      a.put("settlementPausedAtEnd", last.paused());
    }
    a.put("proverLagSecondsMax", maxLag);
    a.put("proverLagGrowthSecondsPerMinute", lagGrowth);
    a.put("recordsWaitingGrowthPerSecond", waitingGrowth);
    a.put("samplesWithSealingHeld", heldSamples);
    a.put("samples", samples.size());
    a.put("timeSeries", samples);
    json.put("phaseA", a);

    line("");
    line(
        String.format(
            Locale.ROOT,
            "## Phase A: %,d orders/s offered for %d s; window from the first send to the last"
                + " answer: %.1f s",
            offeredRate,
            offeredSeconds,
            secs));
    line("");
    line("| measure | value |");
    line("|---|---:|");
    row(
        "orders planned / sent / answered ok / errors",
        String.format(
            Locale.ROOT, "%,d / %,d / %,d / %s", r.planned(), r.sent(), r.ok(), r.errors()));
    row(
        "fills by the engine (orders filled), per second",
        String.format(
            Locale.ROOT,
            "%.1f/s (%.1f %% of the answered orders; %.1f lots/s)",
            r.filled() / secs,
            100.0 * r.filled() / Math.max(1, r.ok()),
            r.filledLots() / secs));
    row(
        "settled: transactions in batches sealed, per second",
        String.format(
            Locale.ROOT,
            "%.2f/s (%,d in %,d batches)",
            settled / secs,
            settled,
            ledger.batchesSealedIn(fromMs, toMs)));
    row(
        "proven: transactions in batches proven, per second",
        String.format(
            Locale.ROOT,
            "%.2f/s (%,d in %,d batches; median proof %,d ms)",
            proven / secs,
            proven,
            ledger.batchesProvenIn(fromMs, toMs),
            ledger.medianProofMillisIn(fromMs, toMs)));
    row(
        "committed on L1: transactions, per second",
        String.format(Locale.ROOT, "%.2f/s (%,d)", committed / secs, committed));
    if (first != null) {
      row(
          "prover lag at start → end (max)",
          String.format(
              Locale.ROOT,
              "%.1f s → %.1f s (%.1f s)",
              first.proverLagSeconds(),
              last.proverLagSeconds(),
              maxLag));
      row("prover lag growth", String.format(Locale.ROOT, "%+.1f s per minute", lagGrowth));
      row(
          "records waiting for the settlement, start → end",
          String.format(
              Locale.ROOT, "%,d → %,d (%+.1f/s)", first.waiting(), last.waiting(), waitingGrowth));
      row(
          "batches awaiting proof at end; sealing held by back-pressure",
          String.format(
              Locale.ROOT,
              "%d; in %d of %d samples",
              last.awaitingProof(),
              heldSamples,
              samples.size()));
      row("settlement paused at end", last.paused() ? "yes" : "no");
    }
    line("");
    line(
        "every 10 s: t | records waiting | last sealed | sealed, not proven | proven | committed | awaiting proof | held | prover lag");
    for (int i = 0; i < samples.size(); i += 10) {
      MetricsSampler.Sample s = samples.get(i);
      line(
          String.format(
              Locale.ROOT,
              "  %5.0f s | %,d | %d | %d | %d | %d | %d | %s | %.1f s",
              s.seconds(),
              s.waiting(),
              s.lastSealed(),
              s.sealed(),
              s.proven(),
              s.committed(),
              s.awaitingProof(),
              s.sealingHeld() ? "yes" : "no",
              s.proverLagSeconds()));
    }
  }

  /** Phase B on the settling node, with the samples taken during it. */
  void phaseBSettling(OpenLoopSender.Result r, List<MetricsSampler.Sample> samples) {
    settlingAck = r;
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("ack", ack(r));
    b.put("fillsPerSecond", r.filled() / r.elapsedSeconds());
    if (!samples.isEmpty()) {
      MetricsSampler.Sample f = samples.get(0);
      MetricsSampler.Sample l = samples.get(samples.size() - 1);
      b.put("recordsWaitingStartEnd", List.of(f.waiting(), l.waiting()));
      b.put("lastSealedStartEnd", List.of(f.lastSealed(), l.lastSealed()));
      b.put("provenStartEnd", List.of(f.proven(), l.proven()));
      b.put("proverLagStartEnd", List.of(f.proverLagSeconds(), l.proverLagSeconds()));
      b.put("settlementPausedAtEnd", l.paused());
      line("");
      line(
          String.format(
              Locale.ROOT,
              "settling node during phase B (warm-up and measured run): records waiting %,d → %,d, last sealed batch %d → %d, batches proven %d → %d, prover lag %.1f → %.1f s, paused %s",
              f.waiting(),
              l.waiting(),
              f.lastSealed(),
              l.lastSealed(),
              f.proven(),
              l.proven(),
              f.proverLagSeconds(),
              l.proverLagSeconds(),
              l.paused() ? "yes" : "no"));
    }
    json.put("phaseBSettling", b);
  }

  /** Phase B on the node without settlement, and the comparison. */
  void phaseBPlain(OpenLoopSender.Result r) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("ack", ack(r));
    b.put("fillsPerSecond", r.filled() / r.elapsedSeconds());
    json.put("phaseBWithoutSettlement", b);
    double ratio = settlingAck.ms(99) / r.ms(99);
    json.put("p99RatioSettlingOverWithout", ratio);
    line("");
    line("## Phase B: acknowledgement latency (from the planned send time)");
    line("");
    line("| node | answered ok / sent / planned | errors | fills/s | p50 | p99 | p99.9 | max |");
    line("|---|---:|---|---:|---:|---:|---:|---:|");
    ackRow("with settlement (v3, prover running)", settlingAck);
    ackRow("without settlement (no L1)", r);
    line("");
    line(String.format(Locale.ROOT, "p99 ratio, with ÷ without settlement: %.2f", ratio));
  }

  /** The pause line of the settling node's log, if it paused. */
  void settlementPause(String line) {
    json.put("settlementPause", line);
    if (line != null) {
      line("settling node: " + line);
    }
  }

  /** The load average after the run. */
  void loadAfter(String after) {
    json.put("loadAverageAfter", after);
    line("");
    line("load average before: " + loadBefore + "; after: " + after);
  }

  /** Prints the report so far. */
  void print(PrintStream out) {
    out.println();
    out.print(text);
    out.flush();
  }

  /** Writes the JSON file. */
  void writeJson(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
  }

  private void ackRow(String node, OpenLoopSender.Result r) {
    line(
        String.format(
            Locale.ROOT,
            "| %s | %,d / %,d / %,d | %s | %.0f | %.2f ms | %.2f ms | %.2f ms | %.2f ms |",
            node,
            r.ok(),
            r.sent(),
            r.planned(),
            r.errors().isEmpty() ? "none" : r.errors().toString(),
            r.filled() / r.elapsedSeconds(),
            r.ms(50),
            r.ms(99),
            r.ms(99.9),
            r.maxMs()));
  }

  private static Map<String, Object> ack(OpenLoopSender.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("planned", r.planned());
    m.put("sent", r.sent());
    m.put("ok", r.ok());
    m.put("filled", r.filled());
    m.put("filledLots", r.filledLots());
    m.put("errors", r.errors());
    m.put("elapsedSeconds", r.elapsedSeconds());
    m.put("p50ms", r.ms(50));
    m.put("p90ms", r.ms(90));
    m.put("p99ms", r.ms(99));
    m.put("p999ms", r.ms(99.9));
    m.put("maxMs", r.maxMs());
    return m;
  }

  private void row(String measure, String value) {
    line("| " + measure + " | " + value + " |");
  }

  private void line(String s) {
    text.append(s).append('\n');
  }
}
