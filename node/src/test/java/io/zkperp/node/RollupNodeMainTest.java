package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The settling node's command line ({@code ./zk node --l1-rpc … --rollup … --operator-key …}): a
 * full L1 triple is taken with every option, none runs without L1, and a partial or malformed one
 * exits 2 with one line naming what is wrong — and starts nothing.
 */
class RollupNodeMainTest {
  static final String KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
  static final String ROLLUP = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final AtomicReference<NodeConfig> started = new AtomicReference<>();

  int run(String... args) {
    return RollupNodeMain.execute(
        args,
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        (cfg, o) -> {
          started.set(cfg);
          return 0;
        });
  }

  @Test
  void aFullL1TripleConfiguresTheSettlingNode() {
    int code =
        run(
            "--data-dir",
            "/tmp/zkn",
            "--port",
            "0",
            "--l1-rpc",
            "http://127.0.0.1:8546",
            "--rollup",
            ROLLUP,
            "--operator-key",
            "0x" + KEY,
            "--confirmations",
            "3",
            "--finality",
            "4",
            "--stall-after-s",
            "30",
            "--journal-segment-mib",
            "8",
            "--replace-after-ms",
            "5000",
            "--max-fee-gwei",
            "20",
            "--prover-workers",
            "3",
            "--max-batches-awaiting-proof",
            "5",
            "--snapshot-every-records",
            "500",
            "--snapshot-every-s",
            "7",
            "--snapshots-kept",
            "3");
    assertThat(code).as(err.toString()).isZero();
    NodeConfig cfg = started.get();
    assertThat(cfg.dataDir()).isEqualTo(Path.of("/tmp/zkn/node"));
    assertThat(cfg.gateway().port()).isZero();
    assertThat(cfg.stallAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cfg.journalSegmentBytes()).isEqualTo(8L << 20);
    assertThat(cfg.prover().workers()).isEqualTo(3);
    assertThat(cfg.maxBatchesAwaitingProof()).isEqualTo(5);
    assertThat(cfg.snapshots()).isEqualTo(new NodeConfig.Snapshots(500, 7_000, 3, null));
    assertThat(cfg.l1().rpcUrl()).isEqualTo("http://127.0.0.1:8546");
    assertThat(cfg.l1().rollup()).isEqualTo(ROLLUP);
    assertThat(cfg.l1().operator().getEcKeyPair().getPrivateKey())
        .isEqualTo(new BigInteger(KEY, 16));
    assertThat(cfg.l1().confirmations()).isEqualTo(3);
    assertThat(cfg.l1().finality()).isEqualTo(4);
    assertThat(cfg.l1().sender().replaceAfterMillis()).isEqualTo(5_000);
    assertThat(cfg.l1().sender().maxFeePerGasWei()).isEqualTo(BigInteger.valueOf(20_000_000_000L));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void theOldL1AliasStillWorksAndNoL1MeansNoSettlement() {
    assertThat(run("--l1", "http://h:1", "--rollup", ROLLUP, "--operator-key", KEY)).isZero();
    assertThat(started.get().l1().rpcUrl()).isEqualTo("http://h:1");
    assertThat(started.get().gateway().port()).isEqualTo(8545);
    started.set(null);
    assertThat(run("--port", "0")).isZero();
    assertThat(started.get().l1()).isNull();
    assertThat(started.get().prover().workers()).as("one worker by default").isEqualTo(1);
    assertThat(started.get().snapshots()).isEqualTo(NodeConfig.Snapshots.DEFAULT);
    assertThat(started.get().maxBatchesAwaitingProof())
        .isEqualTo(NodeConfig.DEFAULT_MAX_BATCHES_AWAITING_PROOF);
  }

  @Test
  void oracleSignersAreTheDemoSetUnlessGivenAndABadSetExits2() {
    assertThat(run("--port", "0")).isZero();
    assertThat(started.get().oracleSigners()).isEqualTo(NodeConfig.OracleSigners.DEMO);
    started.set(null);
    java.util.List<io.zkperp.protocol.eddsa.EdDsaPublicKey> keys = new java.util.ArrayList<>();
    java.util.List<String> hex = new java.util.ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      byte[] seed = new byte[32];
      java.util.Arrays.fill(seed, (byte) (0x70 + i));
      keys.add(io.zkperp.protocol.eddsa.EdDsaPrivateKey.fromSeed(seed).publicKey());
      hex.add("0x" + java.util.HexFormat.of().formatHex(keys.getLast().encode()));
    }
    String set = String.join(",", hex);
    assertThat(run("--port", "0", "--oracle-signers", set, "--oracle-quorum", "2"))
        .as(err.toString())
        .isZero();
    assertThat(started.get().oracleSigners()).isEqualTo(new NodeConfig.OracleSigners(keys, 2));
    started.set(null);
    assertThat(run("--port", "0", "--oracle-signers", set, "--oracle-quorum", "4")).isEqualTo(2);
    assertThat(err.toString()).contains("--oracle-quorum").contains("1 to 3");
    assertThat(run("--port", "0", "--oracle-signers", set)).isEqualTo(2);
    assertThat(err.toString()).contains("--oracle-signers and --oracle-quorum go together");
    assertThat(run("--port", "0", "--oracle-signers", "0x1234", "--oracle-quorum", "1"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("0x1234 is not a compressed EdDSA public key");
    assertThat(
            run(
                "--port",
                "0",
                "--oracle-signers",
                hex.get(0) + "," + hex.get(0),
                "--oracle-quorum",
                "1"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("distinct");
    assertThat(started.get()).isNull();
  }

  @Test
  void aPartialL1TripleExits2NamingWhatIsMissing() {
    assertThat(run("--l1-rpc", "http://127.0.0.1:8546")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--l1-rpc, --rollup and --operator-key go together")
        .contains("missing --rollup, --operator-key");
    assertThat(started.get()).isNull();

    err.getBuffer().setLength(0);
    assertThat(run("--rollup", ROLLUP, "--operator-key", KEY)).isEqualTo(2);
    assertThat(err.toString()).contains("missing --l1-rpc");
    assertThat(started.get()).isNull();
  }

  @Test
  void malformedValuesExit2NamingTheOption() {
    assertThat(run("--l1-rpc", "ws://x:1", "--rollup", ROLLUP, "--operator-key", KEY)).isEqualTo(2);
    assertThat(err.toString()).contains("--l1-rpc: expected http://");
    assertThat(run("--l1-rpc", "http://x:1", "--rollup", "0x1234", "--operator-key", KEY))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--rollup: expected a 20-byte 0x-hex address");
    assertThat(run("--l1-rpc", "http://x:1", "--rollup", ROLLUP, "--operator-key", "abc"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--operator-key: expected a non-zero 32-byte hex");
    assertThat(run("--port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("--port must be 0 to 65535");
    assertThat(run("--prover-workers", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--prover-workers must be 1 to 64, got 0");
    assertThat(run("--snapshots-kept", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--snapshots-kept ≥ 1");
    assertThat(run("--max-batches-awaiting-proof", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--max-batches-awaiting-proof must be ≥ 1, got 0");
    assertThat(run("--journal-segment-mib", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--journal-segment-mib must be 1 to 1024");
    assertThat(run("--port", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("--port");
    assertThat(run("--no-such-option")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
    assertThat(run("--shape", "huge")).isEqualTo(2);
    assertThat(err.toString()).contains("--shape: unknown circuit shape");
    assertThat(started.get()).isNull();
  }

  @Test
  void settlementV3ConfiguresTheV3PathAndIsRefusedWithoutItsPreconditions() {
    String[] l1 = {"--l1-rpc", "http://h:1", "--rollup", ROLLUP, "--operator-key", KEY};
    String[] noSnapshots = {"--snapshot-every-records", "0", "--snapshot-every-s", "0"};
    assertThat(run(concat(l1, noSnapshots, "--settlement", "v3", "--shape", "v3-tiny")))
        .as(err.toString())
        .isZero();
    assertThat(started.get().v3()).isEqualTo(new NodeConfig.V3("v3-tiny", 1));
    assertThat(started.get().prover().shape()).isEqualTo("v3-tiny");
    started.set(null);
    assertThat(run(concat(l1, noSnapshots, "--shape", "v3-tiny"))).isZero();
    assertThat(started.get().v3()).as("v2 by default").isNull();
    started.set(null);
    assertThat(run(concat(l1, noSnapshots, "--settlement", "v3"))).isEqualTo(2);
    assertThat(err.toString()).contains("--settlement v3 needs a v3 --shape");
    started.set(null);
    assertThat(run(concat(l1, new String[0], "--settlement", "v3", "--shape", "v3-tiny")))
        .as("snapshots on: a v3 node restarts from them")
        .isZero();
    assertThat(started.get().snapshots()).isEqualTo(NodeConfig.Snapshots.DEFAULT);
    assertThat(started.get().v3()).isEqualTo(new NodeConfig.V3("v3-tiny", 1));
    started.set(null);
    assertThat(run(concat(new String[0], noSnapshots, "--settlement", "v3", "--shape", "v3-tiny")))
        .isEqualTo(2);
    assertThat(err.toString()).contains("needs the L1 side");
    assertThat(run("--settlement", "v4")).isEqualTo(2);
    assertThat(err.toString()).contains("--settlement: expected v2 or v3");
    assertThat(started.get()).isNull();
  }

  private static String[] concat(String[] a, String[] b, String... c) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(a));
    all.addAll(java.util.List.of(b));
    all.addAll(java.util.List.of(c));
    return all.toArray(String[]::new);
  }

  @Test
  void aNodeThatCannotStartExits1() {
    int code =
        RollupNodeMain.execute(
            new String[] {"--port", "0"},
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            (cfg, o) -> {
              throw new java.io.IOException("data directory in use");
            });
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("could not start").contains("data directory in use");
  }
}
