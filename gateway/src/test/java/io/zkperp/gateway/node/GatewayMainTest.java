package io.zkperp.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The node's and the load generator's command lines: help, version, one-line typed errors. */
class GatewayMainTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private GatewayMain.Launch launch(String... args) throws Exception {
    return GatewayMain.launch(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** A node on the test's directory, a free port and no price feed, with further options. */
  private GatewayMain.Launch launchOnDir(String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("--data-dir", dir.toString(), "--port", "0", "--feed-interval-ms", "0"));
    args.addAll(List.of(more));
    return launch(args.toArray(String[]::new));
  }

  private String errLine() {
    String e = err.toString();
    assertThat(e.strip().lines()).as(e).hasSize(1);
    return e.strip();
  }

  @Test
  void helpListsEveryOptionTheScriptsPassAndTheExitCodes() throws Exception {
    GatewayMain.Launch l = launch("--help");
    assertThat(l.node()).isNull();
    assertThat(l.exitCode()).isZero();
    assertThat(out.toString())
        .contains(
            "--data-dir",
            "--host",
            "--port",
            "--feed-interval-ms",
            "--demo-accounts",
            "--no-rate-limits",
            "--signature-verifier",
            "--max-connections",
            "--max-connections-per-ip",
            "--idle-timeout-ms",
            "--request-timeout-ms",
            "--max-subscriptions-per-connection",
            "--journal-segment-mb",
            "--snapshot-every-records",
            "--snapshot-every-seconds",
            "--snapshots-kept",
            "--snapshot-replica",
            "--journal-archive-dir",
            "--chain-id",
            "--rollup-address",
            "Exit codes:",
            "--version");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void versionPrintsTheVersion() throws Exception {
    GatewayMain.Launch l = launch("--version");
    assertThat(l.exitCode()).isZero();
    assertThat(out.toString()).startsWith("zkperp ").contains("Java ");
  }

  @Test
  void aPortThatIsNotANumberIsOneLineNamingTheOptionAndExit2() throws Exception {
    GatewayMain.Launch l = launch("--data-dir", dir.toString(), "--port", "abc");
    assertThat(l.exitCode()).isEqualTo(2);
    assertThat(errLine())
        .contains("'--port'")
        .contains("'abc' is not an int")
        .contains("zk node --help");
    assertThat(Files.list(dir)).as("nothing was created").isEmpty();
  }

  /** A data directory argument, replaced by the test's temporary directory. */
  private static final String DIR = "<dir>";

  /** Command lines (with {@link #DIR}) and fragments of the one-line error each must give. */
  static Stream<Arguments> usageErrors() {
    return Stream.of(
        usage(List.of("--port", "70000"), "'--port'", "70000 is not a port 0 to 65535"),
        usage(List.of("--demo-accounts", "0"), "'--demo-accounts'", "1 to 100000"),
        usage(List.of("--journal-segment-mb", "0"), "'--journal-segment-mb'", "1 to 1024"),
        usage(List.of("--snapshots-kept", "0"), "'--snapshots-kept'", "≥ 1"),
        usage(List.of("--snapshot-every-records", "-1"), "'--snapshot-every-records'"),
        usage(List.of("--snapshot-replica", "maybe"), "--snapshot-replica"),
        usage(List.of("--signature-verifier", "fast"), "'fast' is not one of auto, native, java"),
        usage(List.of("--prot", "1"), "--prot"),
        usage(
            List.of("--data-dir", DIR, "--rollup-address", "0x12"),
            "'--rollup-address'",
            "0x and 40 hex digits"),
        usage(List.of("--data-dir", DIR, "--chain-id", "0"), "'--chain-id'"));
  }

  private static Arguments usage(List<String> args, String... fragments) {
    return Arguments.of(args, List.of(fragments));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usageErrors")
  void outOfRangeValuesAndUnknownOptionsAreUsageErrors(List<String> args, List<String> fragments)
      throws Exception {
    String[] line =
        args.stream().map(a -> a.equals(DIR) ? dir.toString() : a).toArray(String[]::new);
    assertThat(launch(line).exitCode()).isEqualTo(2);
    assertThat(errLine()).contains(fragments);
    assertThat(Files.list(dir)).as("nothing was created").isEmpty();
  }

  @Test
  void snapshotsComeFromAReplicaUnlessToldToPauseIntake() throws Exception {
    GatewayMain.Launch byReplica = launchOnDir();
    try {
      assertThat(byReplica.node().snapshotter().hasReplica()).isTrue();
      var metrics = byReplica.node().gateway().metrics();
      assertThat(metrics.get("snapshot.replica.failed").gauge().value()).isZero();
      assertThat(metrics.get("snapshot.replica.lag.records").gauge()).isNotNull();
      assertThat(metrics.get("journal.directory.syncs.skipped").functionCounter()).isNotNull();
    } finally {
      byReplica.node().close();
    }
    GatewayMain.Launch pausing = launchOnDir("--snapshot-replica", "false");
    try {
      assertThat(pausing.node().snapshotter().hasReplica()).isFalse();
      assertThat(pausing.node().gateway().metrics().find("snapshot.replica.lag.records").gauge())
          .isNull();
    } finally {
      pausing.node().close();
    }
  }

  @Test
  void theNodeServesTheDomainItWasGiven() throws Exception {
    GatewayMain.Launch l =
        launchOnDir(
            "--chain-id",
            "11155111",
            "--rollup-address",
            "0x00000000000000000000000000000000000000C0");
    try {
      assertThat(l.node()).isNotNull();
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://127.0.0.1:" + l.node().gateway().port() + "/"))
                      .POST(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getDomain\"}"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.body())
          .contains("\"chainId\":\"11155111\"")
          .contains("\"rollupAddress\":\"0x00000000000000000000000000000000000000c0\"");
      // the built-in price feed signs in that domain: its first step was accepted
      assertThat(l.node().priceFeed().acceptedBatches()).isPositive();
      assertThat(l.node().priceFeed().rejectedCommands()).isZero();
    } finally {
      l.node().close();
    }
  }

  @Test
  void aPortInUseIsOneLineSayingWhichAndHowToPickAnother() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      GatewayMain.Launch l =
          launch(
              "--data-dir",
              dir.toString(),
              "--port",
              Integer.toString(port),
              "--feed-interval-ms",
              "0");
      assertThat(l.node()).isNull();
      assertThat(l.exitCode()).isEqualTo(1);
      assertThat(errLine())
          .isEqualTo(
              "zk node: port "
                  + port
                  + " on 127.0.0.1 is already in use (another node or program listens there);"
                  + " stop it or pick another port with --port N");
    }
    // the failed start released the data directory
    GatewayMain.Launch again = launchOnDir();
    try {
      assertThat(again.node()).isNotNull();
      assertThat(out.toString()).contains("zkperp demo node on http://127.0.0.1:");
    } finally {
      again.node().close();
    }
  }

  private int loadGenerator(String... args) {
    return LoadGeneratorCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void loadGeneratorHasHelpAndOneLineErrors() {
    assertThat(loadGenerator("--help")).isZero();
    assertThat(out.toString()).contains("--rate", "--in-flight", "--connections", "Exit codes:");
    assertThat(loadGenerator("--rate", "x")).isEqualTo(2);
    assertThat(errLine()).contains("'--rate'").contains("'x' is not an int");
    err.getBuffer().setLength(0);
    assertThat(loadGenerator("--seconds", "0")).isEqualTo(2);
    assertThat(errLine()).contains("seconds must be 1 to 600");
  }
}
