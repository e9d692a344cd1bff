package io.zkperp.gateway.node;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of {@link LoadGenerator} (picocli): {@code --help}, {@code --version}, one-line
 * errors naming the option. Exit codes: 0 the run finished (or help/version printed), 1 the run
 * failed, 2 an invalid option or value. Calling thread.
 */
@Command(
    name = "LoadGenerator",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLines.Version.class,
    sortOptions = false,
    description =
        "Signed perp_placeOrder load against a node on the loopback interface (open loop with"
            + " --rate, closed loop with --in-flight).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the run finished, or help or version printed",
      "1:the run failed",
      "2:invalid option or value"
    })
final class LoadGeneratorCli {
  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "the node's JSON-RPC URL, loopback only (default ${DEFAULT-VALUE})")
  URI url = URI.create("http://127.0.0.1:8545/");

  @Option(
      names = "--rate",
      paramLabel = "R",
      description = "open loop: orders per second (default 1000 when --in-flight is not given)")
  int rate;

  @Option(names = "--in-flight", paramLabel = "N", description = "closed loop: orders outstanding")
  int inFlight;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      description = "duration, 1 to 600 (default ${DEFAULT-VALUE})")
  int seconds = 10;

  @Option(
      names = "--market",
      paramLabel = "M",
      description = "the market (default ${DEFAULT-VALUE})")
  int market = 2;

  @Option(
      names = "--accounts",
      paramLabel = "A",
      description = "demo accounts signing in turn (default ${DEFAULT-VALUE})")
  int accounts = 10;

  @Option(
      names = "--connections",
      paramLabel = "C",
      description = "keep-alive connections, 1 to 64 (default ${DEFAULT-VALUE})")
  int connections = 4;

  @Option(names = "--json", description = "also print the result as one JSON line")
  boolean json;

  /** Used by picocli. */
  LoadGeneratorCli() {}

  /**
   * Parses the options and runs.
   *
   * @param args the options
   * @return the exit code
   */
  static int run(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    return run(args, out, err);
  }

  /**
   * Parses the options and runs, printing to the given streams (tests).
   *
   * @param args the options
   * @param out where the result, help and version go
   * @param err where errors go
   * @return the exit code
   */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    LoadGeneratorCli cli = new LoadGeneratorCli();
    CommandLine cl = new CommandLine(cli);
    Integer stop = CommandLines.parse(cl, args, out, err);
    if (stop != null) {
      return stop;
    }
    LoadGenerator.Options options;
    try {
      options =
          new LoadGenerator.Options(
              cli.url,
              cli.rate == 0 && cli.inFlight == 0 ? 1000 : cli.rate,
              cli.inFlight,
              cli.seconds,
              cli.market,
              cli.accounts,
              cli.connections,
              System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      return CommandLines.usageError(cl, e.getMessage(), err);
    }
    try {
      LoadGenerator.Result r = LoadGenerator.run(options);
      out.println(r.summary());
      if (cli.json) {
        out.println(r.json());
      }
      out.flush();
      return CommandLines.EXIT_OK;
    } catch (IOException | IllegalArgumentException e) {
      err.println("LoadGenerator: the run failed: " + e.getMessage());
      err.flush();
      return CommandLines.EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CommandLines.EXIT_FAILED;
    }
  }
}
