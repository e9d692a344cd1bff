package io.zkperp.bench.sequencer;

import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.risk.RiskEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Single-thread throughput and latency of the sequencer core on the exchange-core workload shape.
 * Signatures are not checked (they are verified before the core); no journal (the core alone).
 * After every run the final book and state hash must equal the generator's expectation and Σ
 * positions must be 0, or the run fails.
 *
 * <p>Run with {@code benchmarks/run-sequencer.sh} (builds, then runs this main).
 */
@CommandLine.Command(
    name = "sequencer-bench",
    mixinStandardHelpOptions = true,
    description = "Sequencer core throughput and latency (exchange-core workload shape).")
public final class SequencerBenchmark implements Callable<Integer> {
  @Option(
      names = "--commands",
      description = "measured commands per run (default ${DEFAULT-VALUE})")
  int commands = 2_000_000;

  @Option(names = "--accounts", description = "accounts (default ${DEFAULT-VALUE})")
  int accounts = 1_000;

  @Option(names = "--resting", description = "target resting orders (default ${DEFAULT-VALUE})")
  int resting = 1_000;

  @Option(
      names = "--warmup",
      description = "unreported throughput runs first (default ${DEFAULT-VALUE})")
  int warmup = 3;

  @Option(names = "--runs", description = "reported throughput runs (default ${DEFAULT-VALUE})")
  int runs = 7;

  @Option(
      names = "--rates",
      split = ",",
      description = "offered rates for latency, commands/s (default ${DEFAULT-VALUE})")
  long[] rates = {250_000, 500_000, 1_000_000, 2_000_000};

  @Option(
      names = "--latency-runs",
      description = "latency runs per rate (default ${DEFAULT-VALUE})")
  int latencyRuns = 5;

  @Option(names = "--seed", description = "workload seed (default ${DEFAULT-VALUE})")
  long seed = 2026_11_21L;

  @Option(names = "--out", description = "also write the report (markdown) to this file")
  Path out;

  @Option(
      names = "--export-workload",
      description =
          "write the generated workload (commands and the model's expectations) to this file and"
              + " exit, for another engine to run the same stream (benchmarks/run-core-comparison.sh)")
  Path exportWorkload;

  @Option(
      names = "--workload-file",
      description = "run the workload read from this file instead of generating one")
  Path workloadFile;

  @Option(
      names = "--risk",
      description =
          "run the core with the risk engine (accounts funded, oracle price set; margin pre-check"
              + " on every order, settlement with fees on every fill), then the pre-check micro"
              + " benchmark with 1, 4 and 8 open positions (layout v2 bounds an account at 8)")
  boolean risk;

  @Option(
      names = "--risk-checks",
      description = "pre-checks per micro-benchmark run (default ${DEFAULT-VALUE})")
  int riskChecks = 5_000_000;

  /** Collateral deposited into every account in risk mode. */
  static final long RISK_DEPOSIT = 1_000_000_000_000L;

  private RiskEngine engine;
  private long rejectedInRun;

  private final StringBuilder report = new StringBuilder();
  private long gcDuringRuns;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SequencerBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    long t0 = System.nanoTime();
    ExchangeWorkload w =
        workloadFile != null
            ? WorkloadFile.readWorkload(workloadFile)
            : new ExchangeWorkload(seed, commands, accounts, resting);
    if (exportWorkload != null) {
      WorkloadFile.write(w, exportWorkload);
      System.out.printf(
          "workload: %,d commands written to %s%n", w.commands.length, exportWorkload);
      return 0;
    }
    commands = w.commands.length - w.prefix;
    accounts = w.accounts;
    line(
        "workload: %,d measured commands after a prefix of %,d (market + %,d resting GTC); mix %s;"
            + " %,d fills; %,d commands rejected by the model; generated in %.1f s",
        commands,
        w.prefix,
        w.prefix - 2,
        w.mix,
        w.expectedFills,
        w.rejectedInModel,
        (System.nanoTime() - t0) / 1e9);
    line(
        "machine: %s; JVM %s %s",
        cpu(), System.getProperty("java.vm.name"), System.getProperty("java.version"));
    if (risk) {
      line(
          "risk engine ON: %,d accounts funded with %,d collateral quanta each, oracle price %,d;"
              + " IMF 5%%, MMF 3%%, maker −100 ppm, taker 500 ppm",
          accounts, RISK_DEPOSIT, ExchangeWorkload.MID);
    }
    line("");

    List<Double> throughputs = new ArrayList<>();
    for (int run = 0; run < warmup + runs; run++) {
      SequencerCore core = freshCore(w);
      Command[] cs = w.commands;
      settle();
      long gcBefore = gcCount();
      long rejected = 0;
      long start = System.nanoTime();
      for (int i = w.prefix; i < cs.length; i++) {
        if (!core.apply(cs[i])) {
          rejected++;
        }
      }
      long ns = System.nanoTime() - start;
      rejectedInRun = rejected;
      gcDuringRuns += gcCount() - gcBefore;
      checkRun(w, core);
      double perSecond = commands * 1e9 / ns;
      if (run >= warmup) {
        throughputs.add(perSecond);
      }
      System.out.printf(
          "%s throughput run %d: %,.0f commands/s (%.0f ns/command), invariants OK%n",
          run < warmup ? "warm-up" : "measured", run, perSecond, ns / (double) commands);
    }
    double[] tp = throughputs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    line("### Throughput (single core thread)");
    line("");
    line("| runs | median commands/s | min | max | ns/command (median) |");
    line("|---:|---:|---:|---:|---:|");
    double median = median(tp);
    line(
        "| %d | **%,.0f** | %,.0f | %,.0f | %.0f |",
        tp.length, median, tp[0], tp[tp.length - 1], 1e9 / median);
    line("");
    line("### Latency at fixed offered rates (no coordinated omission)");
    line("");
    line("Per command: latency = completion time − planned send time (start + i / rate), in ns.");
    line("");
    line("| offered rate | runs | p50 | p90 | p99 | p99.9 | p99.99 | max | (µs, median of runs) |");
    line("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (int row = 0; row < (latencyRuns > 0 ? rates.length + 1 : 0); row++) {
      boolean baseline = row == rates.length;
      long rate = baseline ? 1_000_000 : rates[row];
      double[][] pct = new double[6][latencyRuns];
      for (int run = 0; run < latencyRuns; run++) {
        Histogram h = latencyRun(w, rate, baseline);
        double[] q = {
          h.getValueAtPercentile(50),
          h.getValueAtPercentile(90),
          h.getValueAtPercentile(99),
          h.getValueAtPercentile(99.9),
          h.getValueAtPercentile(99.99),
          h.getMaxValue()
        };
        for (int k = 0; k < 6; k++) {
          pct[k][run] = q[k] / 1000.0;
        }
        System.out.printf(
            "latency %s%,d/s run %d: p50 %.2f p99 %.2f p99.9 %.2f max %.1f µs%n",
            baseline ? "baseline " : "",
            rate,
            run,
            q[0] / 1000,
            q[2] / 1000,
            q[3] / 1000,
            q[5] / 1000);
      }
      line(
          "| %s | %d | %.2f | %.2f | **%.2f** | %.2f | %.1f | %.1f | %s |",
          String.format("%,d/s", rate),
          latencyRuns,
          median(sorted(pct[0])),
          median(sorted(pct[1])),
          median(sorted(pct[2])),
          median(sorted(pct[3])),
          median(sorted(pct[4])),
          median(sorted(pct[5])),
          baseline ? "baseline: same loop, no command applied (the machine's own hiccups)" : "");
    }
    line("");
    if (risk) {
      line(
          "Invariants after every run: final book equals the generator's expected book (%,d"
              + " orders), the same %,d commands rejected as in the generator's model (none by the"
              + " risk engine), Σ positions = 0 in the core and the engine, Σ collateral + fee"
              + " balance = deposits. All runs passed.",
          w.expectedBook.size(), w.rejectedInModel);
      line("");
      line("### Risk pre-check cost (RiskEngine.preCheck called directly)");
      line("");
      line("| open positions | median ns/check | min | max |");
      line("|---:|---:|---:|---:|");
      for (double[] row : RiskCheckBenchmark.run(riskChecks, runs)) {
        line("| %d | **%.1f** | %.1f | %.1f |", (int) row[0], row[1], row[2], row[3]);
      }
      line("");
      line("%,d checks per run, %d warm-up + %d measured runs per row.", riskChecks, runs, runs);
    } else {
      line(
          "Invariants after every run: final book equals the generator's expected book (%,d"
              + " orders), state hash equals the generator's (%s…), Σ positions = 0. All runs"
              + " passed.",
          w.expectedBook.size(), w.expectedStateHash.substring(0, 16));
    }
    line("Garbage collections during timed runs (all runs, warm-up included): %d.", gcDuringRuns);
    line("Total time: %.0f s", (System.nanoTime() - t0) / 1e9);
    if (out != null) {
      Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }
    return 0;
  }

  /**
   * One latency run. With {@code baseline} the loop keeps the same schedule but applies nothing:
   * what it records is the platform's own stalls (preemption, steal), the floor under the core's
   * numbers.
   */
  private Histogram latencyRun(ExchangeWorkload w, long rate, boolean baseline) {
    SequencerCore core = freshCore(w);
    rejectedInRun = 0;
    Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    Command[] cs = w.commands;
    double interval = 1e9 / rate;
    settle();
    long gcBefore = gcCount();
    long start = System.nanoTime() + 1_000_000;
    while (System.nanoTime() < start) {
      LockSupport.parkNanos(100_000);
    }
    for (int i = w.prefix; i < cs.length; i++) {
      long planned = start + (long) ((i - w.prefix) * interval);
      while (System.nanoTime() < planned) {
        Thread.onSpinWait();
      }
      if (!baseline && !core.apply(cs[i])) {
        rejectedInRun++;
      }
      h.recordValue(System.nanoTime() - planned);
    }
    gcDuringRuns += gcCount() - gcBefore;
    if (!baseline) {
      checkRun(w, core);
    }
    return h;
  }

  /** Collections so far, all collectors. */
  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  /** Collects the previous run's garbage before a measured run, so none is collected during it. */
  private static void settle() {
    System.gc();
    LockSupport.parkNanos(50_000_000);
  }

  private SequencerCore freshCore(ExchangeWorkload w) {
    engine =
        risk
            ? new RiskEngine(RiskCheckBenchmark.config(ExchangeWorkload.MARKET + 1, 1L << 40))
            : null;
    SequencerCore core =
        new SequencerCore(
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            risk ? engine : RiskHook.PERMISSIVE,
            CoreListener.NONE);
    for (int i = 0; i < w.prefix; i++) {
      core.apply(w.commands[i]);
      if (risk && i == 0) {
        // after AddMarket: the oracle price and the deposits
        require(core, new OraclePrice(ExchangeWorkload.MARKET, ExchangeWorkload.MID, 1));
        for (int a = 0; a < accounts; a++) {
          require(core, new DepositCollateral(a, RISK_DEPOSIT));
        }
      }
    }
    return core;
  }

  private static void require(SequencerCore core, Command c) {
    if (!core.apply(c)) {
      throw new IllegalStateException(c + " rejected: " + core.lastRejectMessage());
    }
  }

  private void checkRun(ExchangeWorkload w, SequencerCore core) {
    if (rejectedInRun != w.rejectedInModel) {
      throw new IllegalStateException(
          rejectedInRun + " commands rejected, the model rejected " + w.rejectedInModel);
    }
    if (risk) {
      checkBook(w, core);
      long sum = engine.positionSum(ExchangeWorkload.MARKET);
      if (sum != 0) {
        throw new IllegalStateException("Σ positions in the risk engine = " + sum);
      }
      long held = engine.totalCollateral() + engine.feeBalance();
      if (held != (long) accounts * RISK_DEPOSIT || engine.totalDeposited() != held) {
        throw new IllegalStateException("collateral not conserved: " + held);
      }
      return;
    }
    checkInvariants(w, core);
  }

  static void checkInvariants(ExchangeWorkload w, SequencerCore core) {
    checkBook(w, core);
    String hash = CoreState.hashHex(core);
    if (!hash.equals(w.expectedStateHash)) {
      throw new IllegalStateException("state hash " + hash + " != expected " + w.expectedStateHash);
    }
  }

  static void checkBook(ExchangeWorkload w, SequencerCore core) {
    List<String> book = ExchangeWorkload.bookOf(core);
    if (!book.equals(w.expectedBook)) {
      throw new IllegalStateException(
          "final book differs from the generator's expectation: "
              + book.size()
              + " vs "
              + w.expectedBook.size()
              + " orders");
    }
    if (core.positionSum(ExchangeWorkload.MARKET) != 0) {
      throw new IllegalStateException("Σ positions = " + core.positionSum(ExchangeWorkload.MARKET));
    }
  }

  private static double[] sorted(double[] a) {
    double[] c = a.clone();
    Arrays.sort(c);
    return c;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private void line(String format, Object... args) {
    String s = String.format(format, args);
    report.append(s).append('\n');
    PrintStream o = System.out;
    o.println(s);
  }

  private static String cpu() {
    String cpu = "unknown CPU";
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          cpu = l.substring(l.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores";
  }
}
