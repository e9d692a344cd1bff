package io.zkperp.gateway.node;

import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.PortInUseException;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./zk node}: starts a {@link GatewayNode}, prints how to try it, and runs until the process
 * is stopped (SIGINT/SIGTERM: graceful shutdown). Options are parsed by picocli ({@code --help}
 * lists them with their defaults); every error is one line on stderr naming the option or the
 * resource and what to do. Exit codes: 0 stopped normally (or help/version printed), 1 could not
 * start (the data directory is in use, the port is taken, the journal cannot be read), 2 an invalid
 * option or value. Main thread.
 */
@Command(
    name = "zk node",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLines.Version.class,
    sortOptions = false,
    description =
        "Runs the zkperp demo node in the foreground: sequencer + risk engine + JSON-RPC gateway +"
            + " built-in signed price feed. Ctrl-C stops it gracefully.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped normally, or help or version printed",
      "1:could not start (data directory in use, port taken, journal unreadable)",
      "2:invalid option or value"
    })
public final class GatewayMain {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "the data directory: journal segments, snapshots and lock file (default"
              + " ${DEFAULT-VALUE})")
  Path dataDir = Path.of("zkperp-data");

  @Option(
      names = "--journal-segment-mb",
      paramLabel = "MIB",
      description =
          "the journal rotates to a new segment file past this size, 1 to 1024 (default"
              + " ${DEFAULT-VALUE})")
  int journalSegmentMib = DurabilityOptions.DEFAULT_SEGMENT_MIB;

  @Option(
      names = "--snapshot-every-records",
      paramLabel = "N",
      description =
          "a snapshot of the core and the read model every N journal records; 0 = not by count"
              + " (default ${DEFAULT-VALUE})")
  long snapshotEveryRecords = DurabilityOptions.DEFAULT_SNAPSHOT_EVERY_RECORDS;

  @Option(
      names = "--snapshot-every-seconds",
      paramLabel = "S",
      description =
          "a snapshot at the first record S seconds after the last; 0 = not by time (default"
              + " ${DEFAULT-VALUE}); one is also taken on graceful shutdown")
  long snapshotEverySeconds = DurabilityOptions.DEFAULT_SNAPSHOT_EVERY_SECONDS;

  @Option(
      names = "--snapshots-kept",
      paramLabel = "N",
      description =
          "snapshots kept, ≥ 1; journal segments covered by the oldest kept one are released"
              + " (default ${DEFAULT-VALUE})")
  int snapshotsKept = DurabilityOptions.DEFAULT_SNAPSHOTS_KEPT;

  @Option(
      names = "--snapshot-replica",
      paramLabel = "true|false",
      arity = "1",
      description =
          "take snapshots from a replica of the core and the read model that follows the journal"
              + " on its own thread (no pause of intake; twice the memory); false: pause the core"
              + " and journal threads to copy them (default ${DEFAULT-VALUE})")
  boolean snapshotReplica = true;

  @Option(
      names = "--journal-archive-dir",
      paramLabel = "DIR",
      description = "move released journal segments here instead of deleting them")
  Path journalArchiveDir;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "the address to bind (default ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "the TCP port, 0 to 65535; 0 picks a free one (default ${DEFAULT-VALUE})")
  int port = 8545;

  @Option(
      names = "--feed-interval-ms",
      paramLabel = "MS",
      description = "price feed period; 0 = one step at start only (default ${DEFAULT-VALUE})")
  long feedIntervalMillis = GatewayNode.DEFAULT_FEED_INTERVAL_MILLIS;

  @Option(
      names = "--demo-accounts",
      paramLabel = "N",
      description = "demo accounts with well-known keys, 1 to 100000 (default ${DEFAULT-VALUE})")
  int demoAccounts = GatewayNode.DEMO_ACCOUNTS;

  @Option(
      names = "--no-rate-limits",
      description = "per-IP and per-account rate limits far above capacity (loopback load tests)")
  boolean noRateLimits;

  @Option(
      names = "--signature-verifier",
      paramLabel = "auto|native|java",
      converter = VerifierConverter.class,
      description = "the order intake's signature verifier (default auto)")
  SignatureVerifiers signatures = SignatureVerifiers.AUTO;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description = "open connections in all (default ${DEFAULT-VALUE})")
  int maxConnections = GatewayConfig.builder().build().maxConnections();

  @Option(
      names = "--max-connections-per-ip",
      paramLabel = "N",
      description = "open connections per client IP (default ${DEFAULT-VALUE})")
  int maxConnectionsPerIp = GatewayConfig.builder().build().maxConnectionsPerIp();

  @Option(
      names = "--idle-timeout-ms",
      paramLabel = "MS",
      description = "close connections silent this long (default ${DEFAULT-VALUE})")
  long idleTimeoutMillis = GatewayConfig.builder().build().idleTimeoutMillis();

  @Option(
      names = "--request-timeout-ms",
      paramLabel = "MS",
      description = "an HTTP request must arrive whole within this (default ${DEFAULT-VALUE})")
  long requestTimeoutMillis = GatewayConfig.builder().build().requestTimeoutMillis();

  @Option(
      names = "--max-subscriptions-per-connection",
      paramLabel = "N",
      description = "live subscriptions per WebSocket (default ${DEFAULT-VALUE})")
  int maxSubscriptions = GatewayConfig.builder().build().maxSubscriptionsPerConnection();

  @Option(
      names = "--chain-id",
      paramLabel = "ID",
      description =
          "the L1 chain id every signed order, cancel and price report must carry in its domain"
              + " (default ${DEFAULT-VALUE}: anvil's)")
  long chainId = MessageDomain.DEMO_CHAIN_ID;

  @Option(
      names = "--rollup-address",
      paramLabel = "0xADDRESS",
      description =
          "the rollup contract address of the signed-message domain (default ${DEFAULT-VALUE}: the"
              + " demo address)")
  String rollupAddress = MessageDomain.DEMO_ROLLUP_ADDRESS.toString();

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description =
          "console log format: text (one readable line per event) or json (one JSON object per"
              + " line, for log collectors) (default ${DEFAULT-VALUE})")
  LogFormat logFormat = LogFormat.TEXT;

  /**
   * The console log formats ({@code logback.xml} names its appenders after them, in lower case).
   */
  enum LogFormat {
    /** One readable line per event. */
    TEXT,
    /** One JSON object per line, the message formatted with its arguments. */
    JSON
  }

  /** Logback's system property naming its configuration resource. */
  static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

  /**
   * Chooses the console log format from {@code --log-format} in the raw arguments, before anything
   * can create a logger (the options' defaults already load classes that log): {@code json} makes
   * logback load {@code logback-json.xml}; anything else keeps {@code logback.xml}, and picocli
   * then refuses a bad value. Calling thread.
   *
   * @param args the raw arguments
   */
  static void chooseLogFormat(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String value =
          args[i].startsWith("--log-format=")
              ? args[i].substring("--log-format=".length())
              : args[i].equals("--log-format") && i + 1 < args.length ? args[i + 1] : null;
      if (value != null && value.equalsIgnoreCase("json")) {
        System.setProperty(LOGBACK_CONFIGURATION, "logback-json.xml");
      }
    }
  }

  /** Used by picocli. */
  GatewayMain() {}

  /** Parses {@code --signature-verifier}. */
  static final class VerifierConverter implements CommandLine.ITypeConverter<SignatureVerifiers> {
    /** Used by picocli. */
    VerifierConverter() {}

    @Override
    public SignatureVerifiers convert(String value) {
      try {
        return SignatureVerifiers.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not one of auto, native, java");
      }
    }
  }

  /**
   * A started node, or the exit code of a run that printed help, the version or an error.
   *
   * @param node the running node, or null
   * @param exitCode the exit code when {@code node} is null
   */
  record Launch(GatewayNode node, int exitCode) {}

  /**
   * Entry point: starts the node and waits for SIGINT/SIGTERM, or exits with 0, 1 or 2.
   *
   * @param args the options
   * @throws InterruptedException if interrupted while running
   */
  public static void main(String[] args) throws InterruptedException {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Launch launch = launch(args, out, err);
    if (launch.node() == null) {
      System.exit(launch.exitCode());
      return;
    }
    GatewayNode node = launch.node();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                    out.println("zkperp demo node stopped; journal closed");
                  } catch (IOException e) {
                    err.println("zk node: closing the journal failed: " + e.getMessage());
                  } finally {
                    stopped.countDown();
                  }
                },
                "gateway-shutdown"));
    stopped.await();
  }

  /**
   * Parses the options and starts the node, printing the "try it" text; or prints help, the version
   * or a one-line error. Calling thread.
   *
   * @param args the options
   * @param out where help and the start-up text go
   * @param err where errors go
   * @return the running node, or the exit code
   * @throws InterruptedException if interrupted while starting
   */
  static Launch launch(String[] args, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    chooseLogFormat(args);
    GatewayMain main = new GatewayMain();
    CommandLine cl = new CommandLine(main);
    cl.setCaseInsensitiveEnumValuesAllowed(true); // --log-format text|json
    Integer stop = CommandLines.parse(cl, args, out, err);
    if (stop != null) {
      return new Launch(null, stop);
    }
    NodeOptions options;
    try {
      options = main.options(cl);
    } catch (CommandLine.ParameterException e) {
      return new Launch(null, CommandLines.usageError(cl, e.getMessage(), err));
    }
    GatewayNode node;
    try {
      node = GatewayNode.open(options);
    } catch (PortInUseException e) {
      return failed(
          err,
          "port "
              + e.port()
              + " on "
              + e.host()
              + " is already in use (another node or program listens there); stop it or pick"
              + " another port with --port N");
    } catch (DataDirectoryLockedException e) {
      return failed(err, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return failed(err, "could not start: " + oneLine(e));
    }
    String url = "http://" + main.host + ":" + node.gateway().port() + "/";
    out.println(
        "zkperp demo node on "
            + url
            + " (data "
            + main.dataDir.toAbsolutePath().normalize()
            + "; Ctrl-C stops it)\n"
            + "Try it:\n"
            + "  curl -s "
            + url
            + " -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getMarkets\"}'\n"
            + "  ./zk client"
            + (url.equals("http://127.0.0.1:8545/") ? "" : " --url " + url)
            + " place-order --demo-account 1 --market 2 --side BUY --size 1 --price 1000");
    return new Launch(node, CommandLines.EXIT_OK);
  }

  private static Launch failed(PrintWriter err, String message) {
    err.println("zk node: " + message);
    err.flush();
    return new Launch(null, CommandLines.EXIT_FAILED);
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    return m.replace('\n', ' ');
  }

  /** The node's options from the parsed values; range errors name the option. */
  private NodeOptions options(CommandLine cl) {
    CommandLines.require(cl, port >= 0 && port <= 65_535, "--port", port, "a port 0 to 65535");
    CommandLines.require(
        cl, feedIntervalMillis >= 0, "--feed-interval-ms", feedIntervalMillis, "≥ 0");
    CommandLines.require(
        cl,
        demoAccounts >= 1 && demoAccounts <= 100_000,
        "--demo-accounts",
        demoAccounts,
        "1 to 100000");
    CommandLines.require(cl, maxConnections >= 1, "--max-connections", maxConnections, "≥ 1");
    CommandLines.require(
        cl,
        maxConnectionsPerIp >= 1 && maxConnectionsPerIp <= maxConnections,
        "--max-connections-per-ip",
        maxConnectionsPerIp,
        "1 to --max-connections");
    CommandLines.require(cl, idleTimeoutMillis >= 1, "--idle-timeout-ms", idleTimeoutMillis, "≥ 1");
    CommandLines.require(
        cl, requestTimeoutMillis >= 1, "--request-timeout-ms", requestTimeoutMillis, "≥ 1");
    CommandLines.require(
        cl, maxSubscriptions >= 1, "--max-subscriptions-per-connection", maxSubscriptions, "≥ 1");
    CommandLines.require(
        cl,
        journalSegmentMib >= 1 && journalSegmentMib <= 1024,
        "--journal-segment-mb",
        journalSegmentMib,
        "1 to 1024");
    CommandLines.require(
        cl, snapshotEveryRecords >= 0, "--snapshot-every-records", snapshotEveryRecords, "≥ 0");
    CommandLines.require(
        cl, snapshotEverySeconds >= 0, "--snapshot-every-seconds", snapshotEverySeconds, "≥ 0");
    CommandLines.require(cl, snapshotsKept >= 1, "--snapshots-kept", snapshotsKept, "≥ 1");
    CommandLines.require(cl, chainId >= 1, "--chain-id", chainId, "a chain id ≥ 1");
    L1Address rollup;
    try {
      rollup = L1Address.fromHex(rollupAddress);
    } catch (InvalidEncodingException e) {
      throw new CommandLine.ParameterException(
          cl,
          "Invalid value for option '--rollup-address': "
              + rollupAddress
              + " is not 0x and 40 hex digits");
    }
    GatewayConfig.Builder config =
        GatewayConfig.builder()
            .host(host)
            .port(port)
            .maxConnections(maxConnections)
            .maxConnectionsPerIp(maxConnectionsPerIp)
            .idleTimeoutMillis(idleTimeoutMillis)
            .requestTimeoutMillis(requestTimeoutMillis)
            .maxSubscriptionsPerConnection(maxSubscriptions);
    if (noRateLimits) { // for load tests on loopback: limits far above what the node can do
      config.ipRatePerSecond(1e9).ipBurst(1_000_000_000).accountRatePerSecond(1e9);
      config.accountBurst(1_000_000_000);
    }
    return NodeOptions.builder(dataDir)
        .config(config.build())
        .clockSeconds(() -> System.currentTimeMillis() / 1000)
        .feedIntervalMillis(feedIntervalMillis)
        .demoAccounts(demoAccounts)
        .signatures(signatures)
        .durability(
            new DurabilityOptions(
                (long) journalSegmentMib << 20,
                snapshotEveryRecords,
                snapshotEverySeconds,
                snapshotsKept,
                journalArchiveDir,
                snapshotReplica))
        .domain(MessageDomain.of(chainId, rollup))
        .build();
  }
}
