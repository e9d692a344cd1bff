package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.client.L2Waits;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.cli.ZkPerpCli;
import io.zkperp.client.identity.KeyTypedData;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.identity.WalletOnboarding;
import io.zkperp.client.l1.TraderL1;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.l1.AnvilExtension;
import io.zkperp.l1.DeployParams;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.RollupDeployer;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.WorkerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/**
 * A trader's whole L1 ↔ L2 round trip with the client's CLI ({@code ZkPerpCli}, in-process) on a
 * real anvil (blocks mined every 500 ms, like a live chain) and a settling node with real Groth16
 * proofs (tiny shape): onboard from the wallet's EIP-712 signature (domain from the node's {@code
 * perp_getDomain}) → deposit (approve + deposit, 2 confirmations, then the node's credit) → the key
 * bound to the wallet on L1 and in the node → account read with the key file → a forced withdrawal
 * requested on L1, followed until a verified batch serves it, claimed → an L2 withdrawal followed
 * to FINAL and claimed on L1; every ERC-20 balance exact. Refusals on the way (a deposit above the
 * wallet's tokens, another wallet's key, a claim with nothing to claim) change nothing.
 *
 * <p>Lives in node/ because the client must not depend on the node; client is a test dependency
 * here.
 */
class TraderWalletIT {
  static final long TUSD = 1_000_000L;
  static final String SHAPE = "tiny";

  @RegisterExtension static final AnvilExtension anvil = new AnvilExtension();

  final Credentials deployer = DevAccounts.account(0);
  final Credentials operator = DevAccounts.account(1);
  final Credentials trader = DevAccounts.account(5);
  final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run cli(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        ZkPerpCli.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    // the CLI's progress lines (stderr) into the test log
    System.out.print(err);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void onboardDepositForcedWithdrawalWithdrawAndClaimWithTheCli() throws Exception {
    ScheduledExecutorService miner = Executors.newSingleThreadScheduledExecutor();
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d =
          RollupDeployer.deploy(
              l1,
              deployer,
              DeployParams.devnet(SHAPE, deployer.getAddress(), operator.getAddress(), 3_600));
      TestUSD asTrader =
          TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(trader), l1.gas());
      l1.send(trader.getAddress(), d.collateral(), asTrader.faucet(big(1_000 * TUSD)), "faucet");
      ZkPerpRollup view =
          ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(deployer), l1.gas());
      BigInteger start = asTrader.balanceOf(trader.getAddress()).send();
      NodeItSupport.mineEvery(miner, anvil.rpcUrl(), 500);

      try (RollupNode node = RollupNode.open(config(d))) {
        String url = "http://127.0.0.1:" + node.gateway().port() + "/";
        String walletKey =
            Numeric.toHexStringWithPrefixZeroPadded(trader.getEcKeyPair().getPrivateKey(), 64);
        Path keyFile = dir.resolve("trader-key.json");
        List<String> l1Args =
            List.of(
                "--l1-url",
                anvil.rpcUrl(),
                "--key-file",
                keyFile.toString(),
                "--poll-ms",
                "200",
                "--json");

        // onboard: the node's domain (chain id, rollup) in the typed data
        Run onboard =
            cli(
                List.of(
                    "onboard",
                    "--url",
                    url,
                    "--private-key",
                    walletKey,
                    "--key-file",
                    keyFile.toString(),
                    "--json"));
        assertThat(onboard.code()).as(onboard.err()).isZero();
        JsonNode ob = json.readTree(onboard.out());
        assertThat(ob.path("rollup").asText()).isEqualTo(d.rollup().toLowerCase());
        assertThat(ob.path("chainId").asLong()).isEqualTo(31_337);
        L2KeyFile kf = L2KeyFile.read(keyFile);

        // a deposit above the wallet's tokens is refused before anything is sent
        long nonceBefore = nonce(l1, trader);
        Run tooMuch =
            cli(
                concat(
                    List.of(
                        "deposit",
                        "--url",
                        url,
                        "--private-key",
                        walletKey,
                        "--amount",
                        String.valueOf(2_000 * TUSD)),
                    l1Args));
        assertThat(tooMuch.code()).isEqualTo(2);
        assertThat(tooMuch.err()).contains("less than");
        // another wallet's key for this key file
        Run otherWallet =
            cli(
                concat(
                    List.of(
                        "deposit",
                        "--url",
                        url,
                        "--private-key",
                        Numeric.toHexStringWithPrefixZeroPadded(
                            DevAccounts.account(6).getEcKeyPair().getPrivateKey(), 64),
                        "--amount",
                        "5"),
                    l1Args));
        assertThat(otherWallet.code()).isEqualTo(2);
        assertThat(otherWallet.err())
            .contains("the key file is " + trader.getAddress().toLowerCase());
        // nothing to claim: the contract's error, decoded, and no transaction
        Run nothing = cli(concat(List.of("claim", "--private-key", walletKey), l1Args));
        assertThat(nothing.code()).as(nothing.err()).isEqualTo(4);
        assertThat(nothing.err()).contains("NothingToWithdraw()");
        assertThat(nonce(l1, trader)).isEqualTo(nonceBefore);
        // a deposit to an account bound to nobody: the rollup's error, before any approval
        kf.withAccount(7).write(keyFile);
        Run unbound =
            cli(
                concat(
                    List.of("deposit", "--url", url, "--private-key", walletKey, "--amount", "5"),
                    l1Args));
        assertThat(unbound.code()).as(unbound.err()).isEqualTo(4);
        assertThat(unbound.err())
            .contains("deposit reverted: AccountNotBound(7, " + trader.getAddress().toLowerCase());
        assertThat(nonce(l1, trader)).isEqualTo(nonceBefore);
        kf.write(keyFile);

        // deposit 600: approve + deposit, 2 confirmations, credited by the node
        Run deposit =
            cli(
                concat(
                    List.of(
                        "deposit",
                        "--url",
                        url,
                        "--private-key",
                        walletKey,
                        "--amount",
                        String.valueOf(600 * TUSD),
                        "--confirmations",
                        "2"),
                    l1Args));
        assertThat(deposit.code()).as(deposit.err()).isZero();
        JsonNode dep = json.readTree(deposit.out());
        int account = dep.path("account").asInt();
        assertThat(account).isEqualTo(1);
        assertThat(dep.path("newAccount").asBoolean()).isTrue();
        assertThat(dep.path("collateral").asLong()).isEqualTo(600 * TUSD);
        assertThat(deposit.err())
            .contains("approving")
            .contains("2/2 confirmations")
            .contains("account 1 credited");
        assertThat(L2KeyFile.read(keyFile).account()).hasValue(account);
        // bound on L1 and in the node to this wallet and this key
        assertThat(view.accountOwner(big(account)).send())
            .isEqualToIgnoringCase(trader.getAddress());
        assertThat(node.accounts().account(account).owner())
            .isEqualTo(L1Address.fromHex(trader.getAddress()));
        assertThat(node.accounts().publicKey(account)).isEqualTo(kf.key().publicKey());

        // the account commands sign their read grant with the key file's key
        Run acct = cli(List.of("account", "--url", url, "--key-file", keyFile.toString()));
        assertThat(acct.code()).as(acct.err()).isZero();
        assertThat(json.readTree(acct.out()).path("collateral").asLong()).isEqualTo(600 * TUSD);

        // forced withdrawal of 100 on L1, waited for until a verified batch serves it, claimed
        Run forced =
            cli(
                concat(
                    List.of(
                        "forced-withdrawal",
                        "--private-key",
                        walletKey,
                        "--amount",
                        String.valueOf(100 * TUSD),
                        "--wait"),
                    l1Args));
        assertThat(forced.code()).as(forced.err()).isZero();
        JsonNode fw = json.readTree(forced.out());
        assertThat(fw.path("queueIndex").asLong()).isEqualTo(1);
        assertThat(fw.path("withdrawable").asLong()).isEqualTo(100 * TUSD);
        assertThat(forced.err()).contains("priority op 1 served by a verified batch");
        assertThat(view.isPriorityOpServed(big(1)).send()).isTrue();
        Run claimForced = cli(concat(List.of("claim", "--private-key", walletKey), l1Args));
        assertThat(claimForced.code()).as(claimForced.err()).isZero();
        assertThat(json.readTree(claimForced.out()).path("claimed").asLong()).isEqualTo(100 * TUSD);
        assertThat(asTrader.balanceOf(trader.getAddress()).send())
            .isEqualTo(start.subtract(big(500 * TUSD)));

        // L2 withdrawal of 250 → batch FINAL → claim 250
        Run withdraw =
            cli(
                concat(
                    List.of(
                        "withdraw",
                        "--url",
                        url,
                        "--private-key",
                        walletKey,
                        "--amount",
                        String.valueOf(250 * TUSD),
                        "--until",
                        "FINAL",
                        "--timeout-seconds",
                        "480"),
                    l1Args));
        assertThat(withdraw.code()).as(withdraw.err()).isZero();
        JsonNode wd = json.readTree(withdraw.out());
        assertThat(wd.path("status").asText()).isEqualTo("FINAL");
        assertThat(wd.path("nonce").asLong()).isZero();
        assertThat(wd.path("claimed").asLong()).isEqualTo(250 * TUSD);
        assertThat(wd.path("withdrawable").asLong()).isZero();
        List<String> states = new ArrayList<>();
        withdraw.err().lines().filter(l -> l.startsWith("L2: journal")).forEach(states::add);
        assertThat(states.getFirst()).contains("accepted");
        assertThat(states.getLast()).contains("FINAL").contains("L1 tx 0x");
        assertThat(L2KeyFile.read(keyFile).nextTransactionNonce()).isEqualTo(1);

        // exact balances: wallet, vault, node
        BigInteger expected = start.subtract(big(600 * TUSD)).add(big(350 * TUSD));
        assertThat(wd.path("tokenBalance").bigIntegerValue()).isEqualTo(expected);
        assertThat(asTrader.balanceOf(trader.getAddress()).send()).isEqualTo(expected);
        assertThat(asTrader.balanceOf(d.rollup()).send()).isEqualTo(big(250 * TUSD));
        assertThat(view.verifiedCollateral().send()).isEqualTo(big(250 * TUSD));
        assertThat(view.withdrawable(trader.getAddress()).send()).isZero();
        assertThat(node.tree().view().account(account).orElseThrow().collateral())
            .isEqualTo(250 * TUSD);

        // a key file without its account: the next deposit finds account 1 from the rollup's
        // AccountBound events and tops it up
        kf.write(keyFile);
        Run again =
            cli(
                concat(
                    List.of(
                        "deposit",
                        "--url",
                        url,
                        "--private-key",
                        walletKey,
                        "--amount",
                        String.valueOf(50 * TUSD)),
                    l1Args));
        assertThat(again.code()).as(again.err()).isZero();
        JsonNode dep2 = json.readTree(again.out());
        assertThat(dep2.path("account").asInt()).isEqualTo(account);
        assertThat(dep2.path("newAccount").asBoolean()).isFalse();
        assertThat(dep2.path("collateral").asLong()).isEqualTo(300 * TUSD);
        assertThat(L2KeyFile.read(keyFile).account()).hasValue(account);
        expected = expected.subtract(big(50 * TUSD));
        assertThat(asTrader.balanceOf(d.rollup()).send()).isEqualTo(big(300 * TUSD));

        Run balance = cli(concat(List.of("l1-balance", "--private-key", walletKey), l1Args));
        assertThat(balance.code()).as(balance.err()).isZero();
        assertThat(json.readTree(balance.out()).path("tokenBalance").bigIntegerValue())
            .isEqualTo(expected);

        // a second trader, with the SDK: the README's example
        Credentials second = DevAccounts.account(7);
        TestUSD asSecond =
            TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(second), l1.gas());
        l1.send(second.getAddress(), d.collateral(), asSecond.faucet(big(1_000 * TUSD)), "faucet");
        BigInteger secondStart = asSecond.balanceOf(second.getAddress()).send();
        sdkExample(
            new ZkPerpClient(URI.create(url)),
            anvil.rpcUrl(),
            Numeric.toHexStringWithPrefixZeroPadded(second.getEcKeyPair().getPrivateKey(), 64));
        assertThat(printed).contains("claimed 80000000");
        assertThat(printed).anyMatch(l -> l.contains("account 2 credited, collateral 200000000"));
        assertThat(printed).anyMatch(l -> l.contains(": FINAL (batch"));
        assertThat(asSecond.balanceOf(second.getAddress()).send())
            .isEqualTo(secondStart.subtract(big(120 * TUSD)));
        assertThat(node.accounts().account(2).owner())
            .isEqualTo(L1Address.fromHex(second.getAddress()));
        assertThat(node.tree().view().account(2).orElseThrow().collateral()).isEqualTo(120 * TUSD);
        assertThat(asTrader.balanceOf(d.rollup()).send()).isEqualTo(big(420 * TUSD));
      }
    } finally {
      miner.shutdownNow();
    }
  }

  /** What the SDK example printed (its progress lines and results), in order. */
  private final List<String> printed = new java.util.concurrent.CopyOnWriteArrayList<>();

  private void println(String line) {
    printed.add(line);
    System.out.println(line);
  }

  /** The SDK example of client/README.md ("Wallet and L1 from Java"), verbatim. */
  void sdkExample(ZkPerpClient client, String l1Url, String walletKeyHex) throws Exception {
    // README-BEGIN
    Credentials wallet = Credentials.create(walletKeyHex); // the trader's Ethereum key
    MessageDomain domain = client.domain(); // chain id and rollup address, from perp_getDomain
    KeyTypedData typedData = new KeyTypedData(domain.chainId(), domain.rollupAddress(), 0);
    EdDsaPrivateKey key = WalletOnboarding.deriveKey(wallet.getEcKeyPair(), typedData);
    Duration poll = Duration.ofMillis(200);
    try (TraderL1 l1 =
        TraderL1.connect(l1Url, wallet, domain.rollupAddress(), poll, this::println)) {
      // approve + deposit 200 (collateral quanta: 200_000_000), 2 confirmations, then the credit
      TraderL1.Deposit d =
          l1.deposit(key.publicKey(), OptionalInt.empty(), 200_000_000, 2, Duration.ofMinutes(2));
      L2Waits.awaitCollateral(
          client, key, d.account(), 200_000_000, poll, Duration.ofMinutes(2), this::println);
      // withdraw 80 to the wallet: journaled, proven, committed on L1, final; then claimed
      JsonNode w = client.withdraw(key, d.account(), l1.wallet(), 80_000_000, 0);
      L2Waits.awaitSettlement(
          client,
          w.get("journalSeq").asLong(),
          "FINAL",
          poll,
          Duration.ofMinutes(8),
          this::println);
      println("claimed " + l1.claim()); // claimed 80000000
    }
    // README-END
  }

  @Test
  void theClientReadmeShowsExactlyTheSdkExample() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/zkperp/node/TraderWalletIT.java"));
    String body =
        source.substring(
            source.indexOf("// README-BEGIN\n") + "// README-BEGIN\n".length(),
            source.indexOf("    // README-END"));
    String readme = Files.readString(Path.of("../client/README.md"));
    int at = readme.indexOf("```java\n", readme.indexOf("### Wallet and L1 from Java"));
    String block = readme.substring(at + "```java\n".length(), readme.indexOf("```", at + 1));
    assertThat(strip(block))
        .isEqualTo(
            strip(body)
                .replace("this::println", "System.err::println")
                .replace("println(\"claimed", "System.out.println(\"claimed"));
  }

  private static String strip(String code) {
    return code.lines()
        .map(String::strip)
        .collect(java.util.stream.Collectors.joining("\n"))
        .strip();
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  static long nonce(L1Session l1, Credentials who) throws Exception {
    return l1.web3j()
        .ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount()
        .longValueExact();
  }

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  NodeConfig config(RollupDeployment d) {
    String keys = System.getProperty("zkperp.test.keys");
    WorkerOptions worker =
        WorkerOptions.defaults(dir.resolve("prover-jobs"), SHAPE)
            .withKeyDir(keys == null ? BatchProver.defaultKeyDir() : Path.of(keys));
    return new NodeConfig(
        dir.resolve("node"),
        GatewayConfig.defaults(0),
        BatchProver.batchSize(SHAPE),
        Duration.ofSeconds(2),
        worker,
        new NodeConfig.L1(
            anvil.rpcUrl(), d.rollup(), operator, 2, 2, 100, 0, Duration.ofMillis(200)));
  }
}
