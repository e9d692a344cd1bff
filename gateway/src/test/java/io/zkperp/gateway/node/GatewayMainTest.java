package io.zkperp.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's and the load generator's command lines: help, version, one-line typed errors. */
class GatewayMainTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private GatewayMain.Launch launch(String... args) throws Exception {
    return GatewayMain.launch(args, new PrintWriter(out, true), new PrintWriter(err, true));
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

  @Test
  void outOfRangeValuesAndUnknownOptionsAreUsageErrors() throws Exception {
    assertThat(launch("--port", "70000").exitCode()).isEqualTo(2);
    assertThat(errLine()).contains("'--port'").contains("70000 is not a port 0 to 65535");
    err.getBuffer().setLength(0);
    assertThat(launch("--demo-accounts", "0").exitCode()).isEqualTo(2);
    assertThat(errLine()).contains("'--demo-accounts'").contains("1 to 100000");
    err.getBuffer().setLength(0);
    assertThat(launch("--journal-segment-mb", "0").exitCode()).isEqualTo(2);
    assertThat(errLine()).contains("'--journal-segment-mb'").contains("1 to 1024");
    err.getBuffer().setLength(0);
    assertThat(launch("--snapshots-kept", "0").exitCode()).isEqualTo(2);
    assertThat(errLine()).contains("'--snapshots-kept'").contains("≥ 1");
    err.getBuffer().setLength(0);
    assertThat(launch("--snapshot-every-records", "-1").exitCode()).isEqualTo(2);
    assertThat(errLine()).contains("'--snapshot-every-records'");
    err.getBuffer().setLength(0);
    assertThat(launch("--snapshot-replica", "maybe").exitCode()).isEqualTo(2);
    assertThat(errLine()).contains("--snapshot-replica");
    err.getBuffer().setLength(0);
    assertThat(launch("--signature-verifier", "fast").exitCode()).isEqualTo(2);
    assertThat(errLine()).contains("'fast' is not one of auto, native, java");
    err.getBuffer().setLength(0);
    assertThat(launch("--prot", "1").exitCode()).isEqualTo(2);
    assertThat(errLine()).contains("--prot");
    err.getBuffer().setLength(0);
    assertThat(launch("--data-dir", dir.toString(), "--rollup-address", "0x12").exitCode())
        .isEqualTo(2);
    assertThat(errLine()).contains("'--rollup-address'").contains("0x and 40 hex digits");
    err.getBuffer().setLength(0);
    assertThat(launch("--data-dir", dir.toString(), "--chain-id", "0").exitCode()).isEqualTo(2);
    assertThat(errLine()).contains("'--chain-id'");
    assertThat(Files.list(dir)).as("nothing was created").isEmpty();
  }

  @Test
  void snapshotsComeFromAReplicaUnlessToldToPauseIntake() throws Exception {
    GatewayMain.Launch byReplica =
        launch("--data-dir", dir.toString(), "--port", "0", "--feed-interval-ms", "0");
    try {
      assertThat(byReplica.node().snapshotter().hasReplica()).isTrue();
      var metrics = byReplica.node().gateway().metrics();
      assertThat(metrics.get("snapshot.replica.failed").gauge().value()).isZero();
      assertThat(metrics.get("snapshot.replica.lag.records").gauge()).isNotNull();
      assertThat(metrics.get("journal.directory.syncs.skipped").functionCounter()).isNotNull();
    } finally {
      byReplica.node().close();
    }
    GatewayMain.Launch pausing =
        launch(
            "--data-dir",
            dir.toString(),
            "--port",
            "0",
            "--feed-interval-ms",
            "0",
            "--snapshot-replica",
            "false");
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
        launch(
            "--data-dir",
            dir.toString(),
            "--port",
            "0",
            "--feed-interval-ms",
            "0",
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
    GatewayMain.Launch again =
        launch("--data-dir", dir.toString(), "--port", "0", "--feed-interval-ms", "0");
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
