package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.client.L2Waits;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.ZkPerpRpcException;
import io.zkperp.client.cli.ZkPerpCli;
import io.zkperp.client.identity.KeyTypedData;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.identity.WalletOnboarding;
import io.zkperp.client.l1.EscapeArgument;
import io.zkperp.client.l1.L1RevertedException;
import io.zkperp.client.l1.TraderL1;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.rpc.RpcError;
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
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.WorkerOptions;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * The escape path end to end (issue [devnet] acceptance E2E (b)) on a real anvil (a block every 500
 * ms) with a settling node proving with real Groth16 proofs (tiny shape): two traders deposit
 * (Alice with the CLI, Bob with the SDK), Alice transfers to Bob on L2 and the batch is committed
 * on L1; the node runs with the drill option {@code censorForcedWithdrawals}, so Alice's forced
 * withdrawal on L1 is never served; freezing before its deadline is refused; anvil's clock passes
 * the deadline and a third party freezes the rollup; an L2 transfer after the freeze is settled by
 * the node but never reaches L1; both traders escape with the proofs the node serves over {@code
 * perp_getEscapeProof} (Alice with {@code ./zk client escape}, Bob with the SDK) and receive
 * exactly their collateral in the last verified state; a second escape is refused with {@code
 * AlreadyEscaped(1)}, a deposit after the freeze with {@code RollupFrozen()}; the vault ends empty.
 */
class EscapeIT {
  static final long TUSD = 1_000_000L;
  static final String SHAPE = "tiny";
  static final long DEADLINE_SECONDS = 3_600;

  @RegisterExtension static final AnvilExtension anvil = new AnvilExtension();

  final Credentials deployer = DevAccounts.account(0);
  final Credentials operator = DevAccounts.account(1);
  final Credentials alice = DevAccounts.account(5);
  final Credentials bob = DevAccounts.account(6);
  final Credentials carol = DevAccounts.account(8);
  final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void ignoredForcedWithdrawalFreezeAndBothTradersEscapeWithExactBalances() throws Exception {
    ScheduledExecutorService miner = Executors.newSingleThreadScheduledExecutor();
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d =
          RollupDeployer.deploy(
              l1,
              deployer,
              DeployParams.devnet(
                  SHAPE, deployer.getAddress(), operator.getAddress(), DEADLINE_SECONDS));
      TestUSD token =
          TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(deployer), l1.gas());
      for (Credentials c : List.of(alice, bob)) {
        TestUSD asC = TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(c), l1.gas());
        l1.send(c.getAddress(), d.collateral(), asC.faucet(big(1_000 * TUSD)), "faucet");
      }
      ZkPerpRollup view =
          ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(deployer), l1.gas());
      BigInteger aliceStart = token.balanceOf(alice.getAddress()).send();
      BigInteger bobStart = token.balanceOf(bob.getAddress()).send();
      NodeItSupport.mineEvery(miner, anvil.rpcUrl(), 500);

      try (RollupNode node = RollupNode.open(config(d).withCensorForcedWithdrawals(true))) {
        String url = "http://127.0.0.1:" + node.gateway().port() + "/";
        ZkPerpClient client = new ZkPerpClient(URI.create(url));
        Duration poll = Duration.ofMillis(200);

        // Alice with the CLI: onboard from her wallet, deposit 600
        String aliceWallet = hexKey(alice);
        Path keyFile = dir.resolve("alice-key.json");
        List<String> l1Args =
            List.of(
                "--l1-url",
                anvil.rpcUrl(),
                "--key-file",
                keyFile.toString(),
                "--private-key",
                aliceWallet,
                "--poll-ms",
                "200",
                "--json");
        TraderWalletIT.Run onboard =
            TraderWalletIT.cli(
                List.of(
                    "onboard",
                    "--url",
                    url,
                    "--private-key",
                    aliceWallet,
                    "--key-file",
                    keyFile.toString()));
        assertThat(onboard.code()).as(onboard.err()).isZero();
        TraderWalletIT.Run deposit =
            TraderWalletIT.cli(
                TraderWalletIT.concat(
                    List.of("deposit", "--url", url, "--amount", String.valueOf(600 * TUSD)),
                    l1Args));
        assertThat(deposit.code()).as(deposit.err()).isZero();
        EdDsaPrivateKey aliceKey = L2KeyFile.read(keyFile).key();
        assertThat(L2KeyFile.read(keyFile).account()).hasValue(1);

        // Bob with the SDK: key from his wallet's signature, deposit 200
        MessageDomain domain = client.domain();
        EdDsaPrivateKey bobKey =
            WalletOnboarding.deriveKey(
                bob.getEcKeyPair(), new KeyTypedData(domain.chainId(), domain.rollupAddress(), 0));
        try (TraderL1 bobL1 =
                TraderL1.connect(
                    anvil.rpcUrl(), bob, domain.rollupAddress(), poll, System.out::println);
            TraderL1 carolL1 =
                TraderL1.connect(
                    anvil.rpcUrl(), carol, domain.rollupAddress(), poll, System.out::println)) {
          TraderL1.Deposit bd =
              bobL1.deposit(
                  bobKey.publicKey(), OptionalInt.empty(), 200 * TUSD, 2, Duration.ofMinutes(2));
          assertThat(bd.account()).isEqualTo(2);
          L2Waits.awaitCollateral(
              client, bobKey, 2, 200 * TUSD, poll, Duration.ofMinutes(2), System.out::println);

          // Alice → Bob 150 on L2, committed on L1: the state L1 verified last
          JsonNode tr = client.transfer(aliceKey, 1, 2, 150 * TUSD, 0);
          L2Waits.awaitSettlement(
              client,
              tr.path("journalSeq").asLong(),
              "COMMITTED",
              poll,
              Duration.ofMinutes(5),
              System.out::println);
          long verifiedBatch = view.lastBatchNumber().send().longValueExact();
          BigInteger verifiedRoot = view.stateRoot().send();

          // Alice's forced withdrawal of 100: the censoring node never takes it
          TraderWalletIT.Run forced =
              TraderWalletIT.cli(
                  TraderWalletIT.concat(
                      List.of("forced-withdrawal", "--amount", String.valueOf(100 * TUSD)),
                      l1Args));
          assertThat(forced.code()).as(forced.err()).isZero();
          long forcedIndex = json.readTree(forced.out()).path("queueIndex").asLong();
          assertThat(forcedIndex).isEqualTo(2);
          long requestBlock = json.readTree(forced.out()).path("l1Block").asLong();
          // an honest node takes it after 2 confirmations and commits it within seconds
          while (l1.web3j().ethBlockNumber().send().getBlockNumber().longValueExact()
              < requestBlock + 8) {
            Thread.sleep(200);
          }
          Thread.sleep(2_000);
          assertThat(node.accounts().nextPriorityIndex()).isEqualTo(forcedIndex);
          assertThat(view.consumedPriorityOps().send()).isEqualTo(big(forcedIndex));
          assertThat(view.lastBatchNumber().send().longValueExact()).isEqualTo(verifiedBatch);

          // the escape proof served now is of the verified state, in the contract's form
          JsonNode served = client.getEscapeProof(1);
          RpcSchemaAssert.assertMatches(
              served, RpcSchemaAssert.resultSchema("perp_getEscapeProof"));
          EscapeArgument aliceArg = EscapeArgument.of(served);
          assertThat(aliceArg.batch()).isEqualTo(verifiedBatch);
          assertThat(aliceArg.stateRoot()).isEqualTo(verifiedRoot);
          assertThat(aliceArg.collateral()).isEqualTo(big(450 * TUSD));
          assertThat(aliceArg.l1Owner()).isEqualToIgnoringCase(alice.getAddress());
          // an account that does not exist in the verified state: a typed error
          assertThatThrownBy(() -> client.getEscapeProof(9))
              .isInstanceOfSatisfying(
                  ZkPerpRpcException.class,
                  e -> assertThat(e.code()).isEqualTo(RpcError.NOT_IN_VERIFIED_STATE.code()));

          // account 0 is never assigned: invalid params
          assertThatThrownBy(() -> client.getEscapeProof(0))
              .isInstanceOfSatisfying(
                  ZkPerpRpcException.class, e -> assertThat(e.code()).isEqualTo(-32602));

          // not frozen yet: escape refused by the contract (simulated, nothing sent)
          TraderWalletIT.Run early =
              TraderWalletIT.cli(TraderWalletIT.concat(List.of("escape", "--url", url), l1Args));
          assertThat(early.code()).as(early.err()).isEqualTo(ZkPerpCli.EXIT_L1_REVERTED);
          assertThat(early.err()).contains("escape reverted: NotFrozen()");
          // before the deadline nobody can freeze
          TraderWalletIT.Run tooSoon =
              TraderWalletIT.cli(TraderWalletIT.concat(List.of("freeze"), l1Args));
          assertThat(tooSoon.code()).as(tooSoon.err()).isEqualTo(ZkPerpCli.EXIT_L1_REVERTED);
          assertThat(tooSoon.err()).contains("freeze reverted: DeadlineNotReached(");

          // past the deadline, a third party freezes
          l1.advanceTime(DEADLINE_SECONDS + 1);
          TraderL1.Freeze f = carolL1.freeze();
          assertThat(f.queueIndex()).isEqualTo(forcedIndex);
          assertThat(view.frozen().send()).isTrue();
          BigInteger operatorNonce =
              l1.web3j()
                  .ethGetTransactionCount(
                      operator.getAddress(),
                      org.web3j.protocol.core.DefaultBlockParameterName.PENDING)
                  .send()
                  .getTransactionCount();

          // L2 goes on (Bob → Alice 50) but never reaches L1: the proof stays at the verified state
          JsonNode late = client.transfer(bobKey, 2, 1, 50 * TUSD, 0);
          L2Waits.awaitSettlement(
              client,
              late.path("journalSeq").asLong(),
              "SEALED",
              poll,
              Duration.ofMinutes(1),
              System.out::println);
          assertThat(node.tree().version()).isGreaterThan(verifiedBatch);
          // the submitter read the freeze and stopped: /health names it, the late batch is proven
          // but no commit is sent (the operator's nonce stays), L1 stays at the verified batch
          long lateBatch = node.tree().version();
          NodeItSupport.await(
              "batch " + lateBatch + " proven",
              () -> NodeItSupport.status(node, lateBatch) == BatchStatus.PROVEN,
              120);
          NodeItSupport.await(
              "/health names the freeze",
              () ->
                  NodeItSupport.problem(
                          NodeItSupport.json(NodeItSupport.get(node, "/health").body()),
                          "l1-submitter")
                      .path("reason")
                      .asText()
                      .contains("frozen"),
              30);
          assertThat(NodeItSupport.get(node, "/health").statusCode()).isEqualTo(503);
          Thread.sleep(1_500); // several submitter passes
          assertThat(NodeItSupport.status(node, lateBatch)).isEqualTo(BatchStatus.PROVEN);
          assertThat(
                  l1.web3j()
                      .ethGetTransactionCount(
                          operator.getAddress(),
                          org.web3j.protocol.core.DefaultBlockParameterName.PENDING)
                      .send()
                      .getTransactionCount())
              .isEqualTo(operatorNonce);
          assertThat(view.lastBatchNumber().send().longValueExact()).isEqualTo(verifiedBatch);
          assertThat(node.tree().view().account(1).orElseThrow().collateral())
              .isEqualTo(500 * TUSD);
          EscapeArgument bobArg = EscapeArgument.of(client.getEscapeProof(2));
          assertThat(bobArg.batch()).isEqualTo(verifiedBatch);
          assertThat(bobArg.collateral()).isEqualTo(big(350 * TUSD));

          // a deposit after the freeze is refused (before any approval is sent)
          assertThatThrownBy(
                  () ->
                      bobL1.deposit(
                          bobKey.publicKey(),
                          OptionalInt.of(2),
                          10 * TUSD,
                          1,
                          Duration.ofMinutes(1)))
              .isInstanceOfSatisfying(
                  L1RevertedException.class,
                  e -> assertThat(e.error()).isEqualTo("RollupFrozen()"));

          // Alice escapes with the CLI (proof from the node, escape, claim)
          TraderWalletIT.Run esc =
              TraderWalletIT.cli(TraderWalletIT.concat(List.of("escape", "--url", url), l1Args));
          assertThat(esc.code()).as(esc.err()).isZero();
          JsonNode e = json.readTree(esc.out());
          assertThat(e.path("batch").asLong()).isEqualTo(verifiedBatch);
          assertThat(e.path("escaped").asLong()).isEqualTo(450 * TUSD);
          assertThat(e.path("claimed").asLong()).isEqualTo(450 * TUSD);
          assertThat(e.path("withdrawable").asLong()).isZero();
          // once only
          TraderWalletIT.Run again =
              TraderWalletIT.cli(TraderWalletIT.concat(List.of("escape", "--url", url), l1Args));
          assertThat(again.code()).as(again.err()).isEqualTo(ZkPerpCli.EXIT_L1_REVERTED);
          assertThat(again.err()).contains("escape reverted: AlreadyEscaped(1)");

          // Bob escapes with the SDK and claims
          TraderL1.Escape be = bobL1.escape(bobArg);
          assertThat(be.amount()).isEqualTo(big(350 * TUSD));
          assertThat(be.owner()).isEqualToIgnoringCase(bob.getAddress());
          assertThat(bobL1.claim()).isEqualTo(big(350 * TUSD));
          assertThatThrownBy(() -> bobL1.escape(bobArg))
              .isInstanceOfSatisfying(
                  L1RevertedException.class,
                  x -> assertThat(x.error()).isEqualTo("AlreadyEscaped(2)"));
        }

        // exact balances: each got its verified L2 balance back; the vault is empty
        assertThat(token.balanceOf(alice.getAddress()).send())
            .isEqualTo(aliceStart.subtract(big(600 * TUSD)).add(big(450 * TUSD)));
        assertThat(token.balanceOf(bob.getAddress()).send())
            .isEqualTo(bobStart.subtract(big(200 * TUSD)).add(big(350 * TUSD)));
        assertThat(token.balanceOf(d.rollup()).send()).isZero();
        assertThat(view.verifiedCollateral().send()).isZero();
        assertThat(view.totalWithdrawable().send()).isZero();
      }
    } finally {
      miner.shutdownNow();
    }
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
        Duration.ofSeconds(1),
        worker,
        new NodeConfig.L1(
            anvil.rpcUrl(), d.rollup(), operator, 2, 2, 100, 0, Duration.ofMillis(200)));
  }

  static String hexKey(Credentials c) {
    return Numeric.toHexStringWithPrefixZeroPadded(c.getEcKeyPair().getPrivateKey(), 64);
  }

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }
}
