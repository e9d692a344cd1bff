package io.zkperp.bench.exchangecore;

import exchange.core2.core.common.cmd.OrderCommand;
import io.zkperp.bench.sequencer.WorkloadFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * exchange-core on one thread over zkperp's benchmark workload: the throughput of its R1 → ME → R2
 * stages ({@link OneThreadExchange}) on the command stream of a workload file, measured as {@code
 * SequencerBenchmark} measures zkperp's core (the prefix that builds the book untimed, then every
 * measured command timed as one loop; warm-up runs first; fresh engines per run). Always with its
 * risk processing ({@code FULL_PER_CURRENCY}): exchange-core's {@code NO_RISK_PROCESSING} cannot
 * run a margin (futures) symbol — its settlement stage expects the positions its risk stage opens.
 * Main thread.
 */
@CommandLine.Command(
    name = "exchange-core-bench",
    mixinStandardHelpOptions = true,
    description = "exchange-core's stages on one thread over a zkperp workload file.")
public final class ExchangeCoreBenchmark implements Callable<Integer> {
  @Option(
      names = "--workload-file",
      required = true,
      description = "SequencerBenchmark --export-workload output")
  Path workloadFile;

  @Option(names = "--warmup", description = "unreported runs first (default ${DEFAULT-VALUE})")
  int warmup = 3;

  @Option(names = "--runs", description = "reported runs (default ${DEFAULT-VALUE})")
  int runs = 7;

  @Option(names = "--balance", description = "each user's balance (default ${DEFAULT-VALUE})")
  long balance = 1_000_000_000_000L;

  private ExchangeCoreBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args the options ({@code --help})
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ExchangeCoreBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    WorkloadFile.Loaded w = WorkloadFile.read(workloadFile);
    ExchangeCommands commands = new ExchangeCommands(w.commands(), w.prefix());
    OrderCommand[] t = commands.templates;
    int measured = t.length - commands.prefix;
    System.out.printf(
        "workload: %,d measured commands after %,d book-building orders; %,d users; risk %s; JVM"
            + " %s %s%n",
        measured,
        commands.prefix,
        w.accounts(),
        "FULL_PER_CURRENCY, margin trading",
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    double[] perSecond = new double[runs];
    for (int run = 0; run < warmup + runs; run++) {
      OneThreadExchange ex = new OneThreadExchange(w.accounts(), balance);
      for (int i = 0; i < commands.prefix; i++) {
        ex.apply(t[i]);
      }
      long rejectedBefore = ex.rejected();
      long tradesBefore = ex.trades();
      System.gc();
      long start = System.nanoTime();
      for (int i = commands.prefix; i < t.length; i++) {
        ex.apply(t[i]);
      }
      long ns = System.nanoTime() - start;
      double rate = measured * 1e9 / ns;
      if (run >= warmup) {
        perSecond[run - warmup] = rate;
      }
      System.out.printf(
          "%s run %d: %,.0f commands/s (%.0f ns/command); %,d trades, %,d commands not"
              + " successful%n",
          run < warmup ? "warm-up" : "measured",
          run,
          rate,
          ns / (double) measured,
          ex.trades() - tradesBefore,
          ex.rejected() - rejectedBefore);
    }
    Arrays.sort(perSecond);
    System.out.printf(
        "exchange-core one thread: median %,.0f commands/s (min %,.0f, max %,.0f) over %d runs%n",
        perSecond[runs / 2], perSecond[0], perSecond[runs - 1], runs);
    return 0;
  }
}
