package io.zkperp.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.l1.contracts.ZkPerpRollup;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * {@link DeployMain} (the compose stack's one-shot deployer) against a real anvil process: it
 * deploys, writes the addresses, the deployed rollup has the requested roles, verifier and token; a
 * second run finds the rollup and deploys nothing; bad options and an unreachable L1 exit 2 and 1.
 */
class DeployMainIT {
  @RegisterExtension static final AnvilExtension ANVIL = new AnvilExtension();

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = DeployMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  static Properties read(Path file) throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return p;
  }

  @Test
  void deploysWritesTheAddressesAndDoesNotDeployTwice(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("l1/deployment.env");
    String operator = DevAccounts.account(1).getAddress();
    Run first = run("--l1-rpc", ANVIL.rpcUrl(), "--out", file.toString(), "--operator", operator);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("deployed: rollup ");

    Properties p = read(file);
    assertThat(p.stringPropertyNames())
        .containsExactlyInAnyOrder(
            "ROLLUP", "VERIFIER", "COLLATERAL", "SHAPE", "CHAIN_ID", "START_BLOCK", "L1_RPC");
    assertThat(p.getProperty("SHAPE")).isEqualTo("tiny");
    assertThat(p.getProperty("CHAIN_ID")).isEqualTo("31337");
    assertThat(p.getProperty("L1_RPC")).isEqualTo(ANVIL.rpcUrl());

    try (L1Session session = L1Session.connect(ANVIL.rpcUrl())) {
      long head = session.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
      assertThat(Long.parseLong(p.getProperty("START_BLOCK"))).isBetween(0L, head - 1);
      Credentials deployer = DevAccounts.account(0);
      ZkPerpRollup rollup =
          ZkPerpRollup.load(
              p.getProperty("ROLLUP"),
              session.web3j(),
              session.transactionManager(deployer),
              session.gas());
      assertThat(rollup.verifier().send()).isEqualToIgnoringCase(p.getProperty("VERIFIER"));
      assertThat(rollup.COLLATERAL().send()).isEqualToIgnoringCase(p.getProperty("COLLATERAL"));
      assertThat(rollup.hasRole(rollup.OPERATOR_ROLE().send(), operator).send()).isTrue();
      assertThat(rollup.hasRole(rollup.OPERATOR_ROLE().send(), deployer.getAddress()).send())
          .isFalse();
      assertThat(rollup.hasRole(rollup.ADMIN_ROLE().send(), deployer.getAddress()).send()).isTrue();
      assertThat(rollup.FORCED_ACTION_DEADLINE().send()).isEqualTo(BigInteger.valueOf(3_600));
      assertThat(rollup.FORCED_REQUEST_FEE().send())
          .isEqualTo(DeployParams.DEVNET_FORCED_REQUEST_FEE_WEI);

      // a restarted stack: the file's rollup has code, nothing is deployed again
      BigInteger nonce =
          session
              .web3j()
              .ethGetTransactionCount(deployer.getAddress(), DefaultBlockParameterName.LATEST)
              .send()
              .getTransactionCount();
      String before = Files.readString(file);
      Run again = run("--l1-rpc", ANVIL.rpcUrl(), "--out", file.toString());
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.out()).startsWith("already deployed: rollup " + p.getProperty("ROLLUP"));
      assertThat(Files.readString(file)).isEqualTo(before);
      assertThat(
              session
                  .web3j()
                  .ethGetTransactionCount(deployer.getAddress(), DefaultBlockParameterName.LATEST)
                  .send()
                  .getTransactionCount())
          .isEqualTo(nonce);
    }

    // a file naming an address without code (e.g. a fresh chain): deployed anew
    Files.writeString(
        file,
        "ROLLUP=0x000000000000000000000000000000000000dEaD\nCHAIN_ID=31337\n",
        StandardCharsets.UTF_8);
    Run fresh = run("--l1-rpc", ANVIL.rpcUrl(), "--out", file.toString());
    assertThat(fresh.code()).as(fresh.err()).isZero();
    assertThat(fresh.out()).startsWith("deployed: rollup ");
    assertThat(read(file).getProperty("ROLLUP")).isNotEqualTo(p.getProperty("ROLLUP"));
  }

  @Test
  void badOptionsExit2AndAnUnreachableL1Exits1(@TempDir Path dir) {
    Path file = dir.resolve("deployment.env");
    Run shape = run("--l1-rpc", ANVIL.rpcUrl(), "--out", file.toString(), "--shape", "huge");
    assertThat(shape.code()).isEqualTo(2);
    assertThat(shape.err()).contains("shape must be tiny or devnet");
    Run missing = run("--out", file.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--l1-rpc");
    Run unreachable =
        run("--l1-rpc", "http://127.0.0.1:1", "--out", file.toString(), "--wait-s", "1");
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err()).contains("cannot reach the L1 node at http://127.0.0.1:1");
    assertThat(file).doesNotExist();
  }
}
