package io.zkperp.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's exit codes and one-line messages, before anything is started. */
class DevnetMainTest {
  @TempDir Path dir;

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return DevnetMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        false);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheOptionsAndExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--data-dir", "--port", "--l1-port", "--markets", "--seed", "--no-market-maker")
        .contains("--collateral-only", "faucet", "deposit", "Exit codes")
        .contains("--prover-workers");
  }

  @Test
  void devKeyWritesTheDevAccountsKeyOwnerOnlyAndKeepsAnotherKey() throws Exception {
    Path key = dir.resolve("wallet.key");
    org.web3j.crypto.Credentials two = io.zkperp.l1.DevAccounts.account(2);
    assertThat(run("dev-key", "--dev-account", "2", "--out", key.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(two.getAddress()).contains("PUBLIC");
    assertThat(Files.readString(key))
        .isEqualTo("0x" + String.format("%064x", two.getEcKeyPair().getPrivateKey()) + "\n");
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(DevnetWalkthroughIT.OWNER_ONLY);
    assertThat(run("dev-key", "--dev-account", "2", "--out", key.toString())).isZero();
    String before = Files.readString(key);
    assertThat(run("dev-key", "--dev-account", "3", "--out", key.toString())).isEqualTo(2);
    assertThat(err()).contains("--out").contains("holds another key");
    assertThat(Files.readString(key)).isEqualTo(before);
    err.reset();
    assertThat(run("dev-key", "--dev-account", "10", "--out", dir.resolve("x").toString()))
        .isEqualTo(2);
    assertThat(err()).contains("--dev-account").contains("0 to 9");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void badOptionsExit2WithTheOptionNamed() {
    assertThat(run("--port", "abc")).isEqualTo(2);
    assertThat(err()).contains("--port").contains("abc");
    err.reset();
    assertThat(run("--markets", "3", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err()).contains("--markets").contains("3");
    err.reset();
    assertThat(run("--shape", "huge", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err()).contains("--shape");
    err.reset();
    assertThat(run("--prover-workers", "0", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err()).contains("--prover-workers").contains("1 to 64");
    err.reset();
    assertThat(run("faucet", "--to", "0x12", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err()).contains("--to");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void settlementShapeAndFundingOptionsExit2WhenTheyDoNotFit() {
    assertThat(run("--settlement", "v4", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err()).contains("--settlement").contains("v2 or v3");
    err.reset();
    assertThat(run("--shape", "tiny", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err()).contains("--shape").contains("v3-tiny with --settlement v3");
    err.reset();
    assertThat(run("--settlement", "v2", "--shape", "v3-tiny", "--data-dir", dir.toString()))
        .isEqualTo(2);
    assertThat(err()).contains("--shape").contains("tiny or devnet with --settlement v2");
    err.reset();
    assertThat(run("--funding", "sometimes", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err()).contains("--funding").contains("on, off or auto");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void theDefaultsAreFormatV3OnV3TinyWithAFeedAProofApart() {
    DevnetOptions o = options();
    assertThat(o.settlement()).isEqualTo("v3");
    assertThat(o.v3()).isTrue();
    assertThat(o.shape()).isEqualTo("v3-tiny");
    assertThat(o.funding()).isEqualTo(DevnetOptions.Funding.AUTO);
    // markets 1 and 2 are two oracle ticks a feed; v3-tiny proves one per batch: two batches
    int slots = io.zkperp.node.v3.V3Shapes.shape("v3-tiny").oracleTicks();
    assertThat(o.feedInterval().toMillis())
        .isEqualTo(DevnetMain.V3_FEED_MILLIS_PER_BATCH * ((2 + slots - 1) / slots));
    assertThat(DevnetMain.v3FeedMillis("v3-devnet", 2))
        .isEqualTo(DevnetMain.V3_FEED_MILLIS_PER_BATCH);
    assertThat(DevnetMain.v3FeedMillis("v3-tiny", 1))
        .isEqualTo(DevnetMain.V3_FEED_MILLIS_PER_BATCH);
    DevnetOptions v2 = options("--settlement", "v2");
    assertThat(v2.shape()).isEqualTo("tiny");
    assertThat(v2.feedInterval().toMillis()).isEqualTo(1_000);
    assertThat(options("--feed-interval-ms", "5000").feedInterval().toMillis()).isEqualTo(5_000);
  }

  @Test
  void fundingAutoFollowsTheShapesPeriodStartSlots() {
    boolean tinyHasSlot = io.zkperp.node.v3.V3Shapes.shape("v3-tiny").periodStarts() > 0;
    assertThat(options().derivedFunding()).isEqualTo(tinyHasSlot);
    assertThat(options("--funding", "on").derivedFunding()).isTrue();
    assertThat(options("--funding", "OFF").derivedFunding()).isFalse();
    assertThat(options("--settlement", "v2").derivedFunding()).isTrue();
    assertThat(options("--settlement", "v2", "--funding", "off").derivedFunding()).isFalse();
  }

  /** The options {@code ./zk devnet ARGS} would start with. */
  private DevnetOptions options(String... args) {
    DevnetMain main = new DevnetMain();
    new picocli.CommandLine(main).parseArgs(args);
    return main.options();
  }

  @Test
  void missingAnvilExits1WithWhatToDo() {
    assertThat(run("--data-dir", dir.toString(), "--anvil", dir.resolve("no-anvil").toString()))
        .isEqualTo(1);
    assertThat(err()).contains("anvil launcher").contains("not found").contains("npm ci");
    assertThat(err().lines().count()).isEqualTo(1);
  }

  @Test
  void missingProverLibraryExits1WithWhatToDo() throws Exception {
    // an anvil launcher that answers --version, and a prover library that is not there (this
    // JVM never loads the real one: no other test here needs it)
    Path anvil = dir.resolve("anvil");
    Files.writeString(anvil, "#!/bin/sh\necho 'anvil Version: 1.7.1'\n");
    assertThat(anvil.toFile().setExecutable(true)).isTrue();
    System.setProperty(
        io.zkperp.prover.NativeLibrary.LIBRARY_PROPERTY, dir.resolve("missing.so").toString());
    try {
      assertThat(run("--data-dir", dir.resolve("data").toString(), "--anvil", anvil.toString()))
          .isEqualTo(1);
    } finally {
      System.clearProperty(io.zkperp.prover.NativeLibrary.LIBRARY_PROPERTY);
    }
    assertThat(err()).contains("the native prover library is not available").contains("install Go");
    assertThat(err().lines().count()).isEqualTo(1);
    assertThat(dir.resolve("data").resolve("anvil-state.json")).doesNotExist();
  }

  @Test
  void dataDirectoryOfAnotherVersionExits1AndIsLeftAlone() throws Exception {
    String other = "{\"format\": 99, \"rollup\": \"0x01\"}";
    Files.writeString(dir.resolve(DevnetState.FILE), other);
    assertThat(run("--data-dir", dir.toString(), "--anvil", "/nonexistent")).isEqualTo(1);
    assertThat(err()).contains("another devnet version").contains("format 99");
    assertThat(Files.readString(dir.resolve(DevnetState.FILE))).isEqualTo(other);
    err.reset();
    // a format v2 devnet's directory (a devnet.json without the field, as before v3) started as
    // v3: one line, nothing changed
    Path v2 = Files.createDirectories(dir.resolve("v2"));
    String v2State =
        "{\"format\": 1, \"chainId\": 31337, \"rollup\": \"0x01\", \"shape\": \"tiny\"}";
    Files.writeString(v2.resolve(DevnetState.FILE), v2State);
    assertThat(run("--data-dir", v2.toString())).isEqualTo(1);
    assertThat(err()).contains("settles format v2").contains("not v3").contains("--settlement v2");
    assertThat(err().lines().count()).isEqualTo(1);
    assertThat(Files.readString(v2.resolve(DevnetState.FILE))).isEqualTo(v2State);
    assertThat(v2.resolve("anvil-state.json")).doesNotExist();
    assertThat(v2.resolve("node")).doesNotExist();
    err.reset();
    Files.createDirectories(dir.resolve("other").resolve("node"));
    assertThat(run("--data-dir", dir.resolve("other").toString())).isEqualTo(1);
    assertThat(err()).contains("not written by this devnet");
  }

  @Test
  void faucetWithoutADevnetExits1() {
    assertThat(run("faucet", "--to", "0x" + "ab".repeat(20), "--data-dir", dir.toString()))
        .isEqualTo(1);
    assertThat(err()).contains("no devnet in").contains("./zk devnet");
  }
}
