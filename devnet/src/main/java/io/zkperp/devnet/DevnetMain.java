package io.zkperp.devnet;

import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DeployParamsV3;
import io.zkperp.prover.BatchProver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./zk devnet}: starts a {@link Devnet} in the foreground, prints its endpoints and what to
 * try next, prints a status line whenever the settlement's state changes, and stops everything on
 * SIGINT/SIGTERM. Subcommands {@code faucet} and {@code deposit} act on a running devnet; {@code
 * dev-key} writes a development account's (public) key to a file for {@code ./zk client}. Exit
 * codes: 0 stopped normally (or help printed), 1 could not start or the command failed (one line on
 * stderr: a taken port, a missing tool, a data directory in use or of another version, an L1
 * failure), 2 an invalid option. Main thread.
 */
@Command(
    name = "zk devnet",
    mixinStandardHelpOptions = true,
    version = "zkperp devnet 0.1.0-SNAPSHOT",
    sortOptions = false,
    subcommands = {FaucetCommand.class, DepositCommand.class, DevKeyCommand.class},
    description =
        "Runs a local zkperp devnet in the foreground: anvil (L1) with a state file, the contracts"
            + " (deployed once), the settling node with its prover worker, a quorum-signed oracle"
            + " feeder and a market maker. Ctrl-C stops everything; a second start on the same"
            + " --data-dir resumes.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped normally, or help printed",
      "1:could not start (port taken, missing toolchain, data directory in use or incompatible)",
      "2:invalid option or value"
    })
public final class DevnetMain implements java.util.concurrent.Callable<Integer> {
  /** Exit code: could not start. */
  static final int EXIT_FAILED = 1;

  /** Exit code: bad option. */
  static final int EXIT_USAGE = 2;

  /**
   * The v3 feed interval per batch of prices, ms: no shorter than a v3-tiny batch proof on the
   * 2-core CI machine (docs/benchmarks.md, "Batch v3 proving"), so the proofs keep up with the
   * prices.
   */
  static final long V3_FEED_MILLIS_PER_BATCH = 30_000;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "the data directory: anvil state, devnet.json (contracts), node data, prover jobs"
              + " (default ${DEFAULT-VALUE})")
  Path dataDir = Path.of("zkperp-devnet");

  @Option(
      names = "--port",
      paramLabel = "N",
      description =
          "JSON-RPC port: HTTP, WebSocket /ws, /metrics, /health (default ${DEFAULT-VALUE})")
  int port = 8545;

  @Option(
      names = "--l1-port",
      paramLabel = "N",
      description = "anvil's JSON-RPC port (default ${DEFAULT-VALUE})")
  int l1Port = 8546;

  @Option(
      names = "--markets",
      paramLabel = "IDS",
      split = ",",
      description = "markets to list, comma-separated, of 1 and 2 (default 1,2)")
  List<Integer> markets = List.of(1, 2);

  @Option(
      names = "--collateral-only",
      description =
          "no markets, no oracle feeder, no market maker: deposits, transfers and withdrawals"
              + " settle on L1 end to end")
  boolean collateralOnly;

  @Option(names = "--no-market-maker", description = "do not run the market maker")
  boolean noMarketMaker;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "seed of the oracle feeder's random walk (default ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(
      names = "--settlement",
      paramLabel = "FORMAT",
      description =
          "v3: trades, oracle prices and deposits are proven and committed to ZkPerpRollupV3"
              + " (fresh chain only: the v3-tiny keys are for the rollup address dev account 0"
              + " deploys at nonce 2); v2: the collateral-only ZkPerpRollup, whose settlement"
              + " pauses at the first price (default ${DEFAULT-VALUE})")
  String settlement = DevnetOptions.V3;

  @Option(
      names = "--shape",
      paramLabel = "SHAPE",
      description =
          "circuit shape: v3-tiny for v3 (the one v3 shape with keys); tiny (2 slots) or devnet"
              + " (8 slots) for v2 (default: v3-tiny for v3, tiny for v2)")
  String shape;

  @Option(
      names = "--funding",
      paramLabel = "MODE",
      description =
          "derived funding (hourly, from premium samples): on, off, or auto = on unless the v3"
              + " shape has no slot for a funding period start (v3-tiny today), whose first one"
              + " would pause the settlement (default ${DEFAULT-VALUE})")
  String funding = "auto";

  @Option(
      names = "--batch-delay-ms",
      paramLabel = "MS",
      description =
          "a batch is sealed this long after its first transaction (default ${DEFAULT-VALUE})")
  long batchDelayMillis = 2_000;

  @Option(
      names = "--feed-interval-ms",
      paramLabel = "MS",
      description =
          "period of the oracle feeder (the market maker requotes at least every second). Default"
              + " on v2 1000; on v3 "
              + V3_FEED_MILLIS_PER_BATCH
              + " per batch the feed's prices fill (one price batch per market, as many per"
              + " batch as the shape has oracle-tick slots: 60000 for markets 1,2 on v3-tiny),"
              + " so that the prover keeps up")
  Long feedIntervalMillis;

  @Option(
      names = "--block-time",
      paramLabel = "S",
      description = "anvil mines a block every S seconds (default ${DEFAULT-VALUE})")
  int blockTime = 1;

  @Option(
      names = "--confirmations",
      paramLabel = "N",
      description = "L1 blocks before a deposit is credited (default ${DEFAULT-VALUE})")
  long confirmations = 2;

  @Option(
      names = "--finality",
      paramLabel = "N",
      description = "L1 confirmations before a committed batch is final (default ${DEFAULT-VALUE})")
  long finality = 2;

  @Option(
      names = "--anvil",
      paramLabel = "PATH",
      description = "the anvil launcher (default l1-contracts/tools/anvil)")
  Path anvil;

  @Option(
      names = "--keys",
      paramLabel = "DIR",
      description = "Groth16 key directory (default $ZKPERP_KEYS or ~/.cache/zkperp/keys)")
  Path keys;

  @Option(
      names = "--prover-workers",
      paramLabel = "N",
      description =
          "prover worker processes, 1 to 64, sharing the cores and memory; each needs the"
              + " prover's memory for the shape (docs/benchmarks.md, Prover) (default: 2 when the"
              + " machine has at least 2 cores and 8 GiB of RAM, else 1)")
  Integer proverWorkers;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private boolean waitForSignal = true;
  private PrintStream out = System.out;

  /** Used by picocli. */
  public DevnetMain() {}

  /**
   * Runs the command line and exits with its code. Main thread.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, true));
  }

  /**
   * Runs the command line. With {@code waitForSignal} the devnet runs until the process is stopped
   * (SIGINT/SIGTERM: its shutdown hook stops the devnet and exits 0); without, the devnet is
   * stopped again as soon as it is up and {@code run} returns 0 (tests). Calling thread.
   *
   * @param args the arguments
   * @param out where progress, endpoints and status go
   * @param err where errors go
   * @param waitForSignal whether to run until the process stops
   * @return the exit code
   */
  static int run(String[] args, PrintStream out, PrintStream err, boolean waitForSignal) {
    DevnetMain main = new DevnetMain();
    main.waitForSignal = waitForSignal;
    main.out = out;
    CommandLine cl = new CommandLine(main);
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println(
              ex.getCommandLine().getCommandName() + ": " + ex.getMessage() + " (see --help)");
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          if (ex instanceof DevnetException d) {
            err.println(c.getCommandName() + ": " + d.getMessage());
            return EXIT_FAILED;
          }
          if (ex instanceof CommandLine.ParameterException p) {
            err.println(c.getCommandName() + ": " + p.getMessage() + " (see --help)");
            return EXIT_USAGE;
          }
          err.println(
              c.getCommandName() + ": " + String.valueOf(ex.getMessage()).replace('\n', ' '));
          return EXIT_FAILED;
        });
    return cl.execute(args);
  }

  /**
   * The options as a {@link DevnetOptions}; range errors name the option.
   *
   * @return the options
   */
  DevnetOptions options() {
    CommandLine cl = spec.commandLine();
    require(cl, port >= 0 && port <= 65_535, "--port", port, "a port 0 to 65535");
    require(cl, l1Port >= 0 && l1Port <= 65_535, "--l1-port", l1Port, "a port 0 to 65535");
    require(
        cl,
        settlement.equals(DevnetOptions.V2) || settlement.equals(DevnetOptions.V3),
        "--settlement",
        settlement,
        "v2 or v3");
    boolean v3 = settlement.equals(DevnetOptions.V3);
    String s = shape != null ? shape : v3 ? DeployParamsV3.V3_TINY : "tiny";
    require(
        cl,
        v3 ? s.equals(DeployParamsV3.V3_TINY) : s.equals("tiny") || s.equals("devnet"),
        "--shape",
        s,
        v3 ? "v3-tiny with --settlement v3" : "tiny or devnet with --settlement v2");
    DevnetOptions.Funding f = null;
    for (DevnetOptions.Funding m : DevnetOptions.Funding.values()) {
      if (m.name().equalsIgnoreCase(funding)) {
        f = m;
      }
    }
    require(cl, f != null, "--funding", funding, "on, off or auto");
    require(cl, batchDelayMillis >= 1, "--batch-delay-ms", batchDelayMillis, "≥ 1");
    require(
        cl,
        feedIntervalMillis == null || feedIntervalMillis >= 100,
        "--feed-interval-ms",
        feedIntervalMillis,
        "≥ 100");
    require(cl, blockTime >= 1, "--block-time", blockTime, "≥ 1");
    require(cl, confirmations >= 0, "--confirmations", confirmations, "≥ 0");
    require(cl, finality >= 0, "--finality", finality, "≥ 0");
    int[] known = DemoMarkets.marketIds();
    for (int m : markets) {
      require(
          cl,
          Arrays.stream(known).anyMatch(k -> k == m),
          "--markets",
          m,
          "one of " + Arrays.toString(known));
    }
    require(
        cl,
        proverWorkers == null || (proverWorkers >= 1 && proverWorkers <= 64),
        "--prover-workers",
        proverWorkers,
        "1 to 64");
    Path launcher = anvil;
    if (launcher == null) {
      String p = System.getProperty(AnvilProcess.LAUNCHER_PROPERTY);
      launcher = p != null && !p.isBlank() ? Path.of(p) : Path.of("l1-contracts", "tools", "anvil");
    }
    return new DevnetOptions(
        dataDir,
        port,
        l1Port,
        collateralOnly ? List.of() : List.copyOf(new java.util.TreeSet<>(markets)),
        seed,
        !noMarketMaker,
        settlement,
        s,
        f,
        Duration.ofMillis(batchDelayMillis),
        Duration.ofMillis(
            feedIntervalMillis != null
                ? feedIntervalMillis
                : v3 ? v3FeedMillis(s, new java.util.TreeSet<>(markets).size()) : 1_000),
        blockTime,
        confirmations,
        finality,
        launcher,
        keys != null ? keys : BatchProver.defaultKeyDir(),
        proverWorkers != null ? proverWorkers : defaultProverWorkers());
  }

  /**
   * The default v3 feed interval: {@link #V3_FEED_MILLIS_PER_BATCH} for each batch one feed's
   * prices fill (one oracle tick per market, the shape's oracle-tick slots per batch).
   *
   * @param shape the v3 shape
   * @param markets the markets fed
   * @return the interval, ms
   */
  static long v3FeedMillis(String shape, int markets) {
    int slots = Math.max(1, io.zkperp.node.v3.V3Shapes.shape(shape).oracleTicks());
    return V3_FEED_MILLIS_PER_BATCH * Math.max(1, (markets + slots - 1) / slots);
  }

  /**
   * The devnet's default worker count: 2 when the machine has at least 2 cores and 8 GiB of RAM
   * (two devnet-shape proofs at once fit), else 1.
   *
   * @return 1 or 2
   */
  static int defaultProverWorkers() {
    boolean roomy =
        Runtime.getRuntime().availableProcessors() >= 2
            && io.zkperp.prover.worker.WorkerOptions.totalMemoryBytes() >= 8L << 30;
    return roomy ? 2 : 1;
  }

  /**
   * Anvil's development account {@code n} of a {@code --dev-account} option.
   *
   * @param cl the command line (for the usage error)
   * @param n the option's value
   * @return the account's credentials
   * @throws CommandLine.ParameterException if {@code n} is not 0 to 9
   */
  static org.web3j.crypto.Credentials devAccount(CommandLine cl, int n) {
    require(
        cl,
        n >= 0 && n < io.zkperp.l1.DevAccounts.COUNT,
        "--dev-account",
        n,
        "0 to " + (io.zkperp.l1.DevAccounts.COUNT - 1));
    return io.zkperp.l1.DevAccounts.account(n);
  }

  static void require(CommandLine cl, boolean ok, String option, Object value, String expected) {
    if (!ok) {
      throw new CommandLine.ParameterException(
          cl,
          "Invalid value for option '" + option + "': " + value + " (expected " + expected + ")");
    }
  }

  @Override
  public Integer call() throws DevnetException, IOException, InterruptedException {
    DevnetOptions o = options();
    out.println("devnet: data directory " + o.dataDir().toAbsolutePath());
    Devnet devnet = Devnet.start(o, line -> out.println("devnet: " + line));
    out.println(Banner.text(devnet, o));
    out.flush();
    if (!waitForSignal) {
      devnet.close();
      return 0;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    out.println("devnet: stopping (market maker, feeder, node, prover, anvil)");
                    devnet.close();
                    out.println(
                        "devnet: stopped; anvil state and node data saved in " + o.dataDir());
                  } catch (Exception e) {
                    e.printStackTrace();
                  } finally {
                    out.flush();
                    stopped.countDown();
                  }
                  // stopped as asked: exit 0, not the signal's 128 + n
                  Runtime.getRuntime().halt(0);
                },
                "devnet-shutdown"));
    String last = "";
    while (!stopped.await(5, TimeUnit.SECONDS)) {
      try {
        String line = devnet.status().line();
        if (!statusKey(line).equals(statusKey(last))) {
          out.println("devnet: " + line);
        }
        last = line;
      } catch (IOException | RuntimeException e) {
        // the node is closing
      }
    }
    return 0;
  }

  /** The part of a status line that is worth a new line: everything but the feeder's counts. */
  private static String statusKey(String line) {
    int i = line.indexOf("; price batches");
    return i < 0 ? line : line.substring(0, i);
  }
}
