package io.zkperp.node.v3;

import static io.zkperp.node.v3.V3NodeItSupport.PRICE;
import static io.zkperp.node.v3.V3NodeItSupport.SIZE;
import static io.zkperp.node.v3.V3NodeItSupport.anvil;
import static io.zkperp.node.v3.V3NodeItSupport.await;
import static io.zkperp.node.v3.V3NodeItSupport.config;
import static io.zkperp.node.v3.V3NodeItSupport.creditAndTrade;
import static io.zkperp.node.v3.V3NodeItSupport.deployWithDeposits;
import static io.zkperp.node.v3.V3NodeItSupport.genesis;
import static io.zkperp.node.v3.V3NodeItSupport.mine;
import static io.zkperp.node.v3.V3NodeItSupport.signedPrice;
import static io.zkperp.node.v3.V3NodeItSupport.startAnvil;
import static io.zkperp.node.v3.V3SettlementWaits.awaitCommitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.cli.ZkPerpCli;
import io.zkperp.client.identity.KeyTypedData;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.l1.EscapeArgumentV3;
import io.zkperp.client.l1.L1RevertedException;
import io.zkperp.client.l1.TraderL1;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.RollupNode;
import io.zkperp.node.RpcSchemaAssert;
import io.zkperp.node.v3.V3NodeItSupport.Rpc;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.state.v2.StateViewV2;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Issue [devnet] E2E (b) on format v3: a forced withdrawal the operator ignores lets anyone freeze
 * {@code ZkPerpRollupV3}, and both traders escape with exactly their balances, positions included.
 * A {@link RollupNode} with {@link NodeConfig#withV3} and the drill option {@code
 * censorForcedWithdrawals} on a fresh anvil (chain 31337, the fixture rollup and its cached v3-tiny
 * keys: {@link V3NodeItSupport}): two deposits credited, a trade (the maker short 10, the taker
 * long 10 of market 2 at the oracle price 1,000), the batches proven and committed; {@code
 * perp_getBatches} reads the v3 headers (roots chained up to L1's, T, priority hashes). The taker's
 * forced withdrawal is never taken; escaping before the freeze is refused {@code NotFrozen()};
 * anvil's clock passes the deadline and a third wallet freezes; a new oracle price is then sealed
 * on the node (its tree is newer than L1's root) but never committed; the taker escapes with the
 * SDK and the maker with {@code ./zk client escape}, each proof of the last committed batch, and
 * each is credited exactly its collateral plus its position's value at the committed oracle price
 * ({@code EscapeV2.payout}), then claims it: every ERC-20 balance exact; a second escape is refused
 * {@code AlreadyEscaped}. Two v3-tiny proofs; the test's thread.
 */
class EscapeV3IT {
  static final long DEADLINE_SECONDS = 604_800; // FixtureRollup's forcedActionDeadline

  @Test
  void aCensoredForcedWithdrawalFreezesAndBothTradersEscapeWithTheirPositions(@TempDir Path dir)
      throws Exception {
    try (AnvilProcess anvil = startAnvil();
        L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      NodeConfig cfg = config(dir, anvil.rpcUrl()).withCensorForcedWithdrawals(true);
      FixtureRollup fixture = deployWithDeposits(l1, genesis(cfg));
      Credentials makerWallet = DevAccounts.account(1);
      Credentials takerWallet = DevAccounts.account(2);
      TestUSD token =
          TestUSD.load(
              fixture.token(), l1.web3j(), l1.transactionManager(fixture.deployer()), l1.gas());
      BigInteger makerStart = token.balanceOf(makerWallet.getAddress()).send();
      BigInteger takerStart = token.balanceOf(takerWallet.getAddress()).send();
      L1Address rollup = L1Address.fromHex(FixtureRollup.ADDRESS);
      Duration poll = Duration.ofMillis(200);

      try (RollupNode node = RollupNode.open(cfg);
          TraderL1 takerL1 =
              TraderL1.connect(anvil.rpcUrl(), takerWallet, rollup, poll, System.out::println);
          TraderL1 carolL1 =
              TraderL1.connect(
                  anvil.rpcUrl(), DevAccounts.account(3), rollup, poll, System.out::println)) {
        Rpc rpc = new Rpc(node.gateway().port());
        String url = "http://127.0.0.1:" + node.gateway().port() + "/";
        ZkPerpClient client = new ZkPerpClient(URI.create(url));
        long now = System.currentTimeMillis() / 1000;
        long fillSeq = creditAndTrade(anvil, node, rpc, now);
        long verified = awaitCommitted(node, rpc, fillSeq);
        BigInteger l1Root = fixture.rollup().stateRoot().send();

        // perp_getBatches reads the v3 headers: roots chained up to L1's, T, priority hashes
        JsonNode page = rpc.call("perp_getBatches", Map.of()).path("result");
        RpcSchemaAssert.assertMatches(page, RpcSchemaAssert.resultSchema("perp_getBatches"));
        JsonNode batches = page.path("batches");
        assertThat(batches).hasSize((int) verified);
        assertThat(batches.get(0).path("newStateRoot").asText()).isEqualTo(l1Root.toString());
        for (int i = 0; i < batches.size(); i++) {
          JsonNode b = batches.get(i);
          assertThat(b.path("format").asText()).isEqualTo("v3");
          assertThat(b.path("shape").asText()).isEqualTo(FixtureChain.SHAPE_NAME);
          assertThat(b.path("records").asInt())
              .isEqualTo(V3Shapes.shape(FixtureChain.SHAPE_NAME).steps());
          assertThat(b.path("batchTime").asLong()).isBetween(1L, now);
          if (i + 1 < batches.size()) {
            assertThat(b.path("oldStateRoot").asText())
                .isEqualTo(batches.get(i + 1).path("newStateRoot").asText());
            assertThat(b.path("priorityHashBefore").asText())
                .isEqualTo(batches.get(i + 1).path("priorityHashAfter").asText());
          }
        }
        assertThat(batches.get(batches.size() - 1).path("oldStateRoot").asText())
            .as("the first batch starts at the deployed genesis")
            .isEqualTo(node.v3Tree().genesis().stateRoot().toBigInteger().toString());

        // the taker's forced withdrawal: the node never takes it
        TraderL1.ForcedRequest forced = takerL1.requestForcedWithdrawal(OrderScenario.TAKER, 100);
        assertThat(forced.queueIndex()).isEqualTo(2);
        mine(anvil, 3);
        Thread.sleep(2_000); // several watcher polls
        assertThat(node.accounts().nextPriorityIndex()).isEqualTo(2);
        assertThat(fixture.rollup().consumedPriorityOps().send()).isEqualTo(BigInteger.TWO);

        // the proof served now is of the verified state, in ZkPerpRollupV3's form
        JsonNode served = client.getEscapeProof(OrderScenario.TAKER);
        RpcSchemaAssert.assertMatches(served, RpcSchemaAssert.resultSchema("perp_getEscapeProof"));
        EscapeArgumentV3 takerArg = EscapeArgumentV3.of(served);
        assertThat(takerArg.batch()).isEqualTo(verified);
        assertThat(takerArg.stateRoot()).isEqualTo(l1Root);
        assertThat(takerArg.proof().markets).hasSize(1);
        // not frozen yet: refused by the contract (simulated, nothing sent)
        assertThatThrownBy(() -> takerL1.escape(takerArg))
            .isInstanceOfSatisfying(
                L1RevertedException.class, e -> assertThat(e.error()).isEqualTo("NotFrozen()"));

        // past the deadline anyone freezes
        anvil(anvil, "evm_increaseTime", List.of(DEADLINE_SECONDS + 1));
        mine(anvil, 1);
        TraderL1.Freeze freeze = carolL1.freeze();
        assertThat(freeze.queueIndex()).isEqualTo(2);

        // the node's tree moves past L1's root: a new oracle price, sealed, never committed
        long sealedBefore = node.settlementStage().lastSealed();
        signedPrice(node, PRICE + 5, now + 1);
        await("the new price sealed", () -> node.settlementStage().lastSealed() > sealedBefore, 30);
        assertThat(node.v3Tree().store().roots().stateRoot().toBigInteger()).isNotEqualTo(l1Root);

        // what each is owed at the committed price: collateral ± 10 · 1,000 (no funding)
        long value = SIZE * PRICE;
        long makerCollateral;
        long takerCollateral;
        long fees;
        try (StateViewV2 v = node.v3Tree().store().view()) { // the price moved nothing else
          makerCollateral = v.account(OrderScenario.MAKER).collateral();
          takerCollateral = v.account(OrderScenario.TAKER).collateral();
          fees = v.global().feeBalance();
        }
        BigInteger takerOwed = BigInteger.valueOf(takerCollateral + value);
        BigInteger makerOwed = BigInteger.valueOf(makerCollateral - value);
        assertThat(takerOwed.add(makerOwed).add(BigInteger.valueOf(fees)))
            .as("both traders' dues and the fees are the deposits")
            .isEqualTo(BigInteger.valueOf(2 * OrderScenario.DEPOSIT));

        // the taker escapes with the SDK: the proof still of the committed batch
        EscapeArgumentV3 takerAfter =
            EscapeArgumentV3.of(client.getEscapeProof(OrderScenario.TAKER));
        assertThat(takerAfter.batch()).isEqualTo(verified);
        assertThat(takerAfter.stateRoot()).isEqualTo(l1Root);
        assertThat(takerAfter.owed()).isEqualTo(takerOwed);
        TraderL1.Escape te = takerL1.escape(takerAfter);
        assertThat(te.account()).isEqualTo(OrderScenario.TAKER);
        assertThat(te.owner()).isEqualToIgnoringCase(takerWallet.getAddress());
        assertThat(te.amount()).isEqualTo(takerOwed);
        assertThat(takerL1.claim()).isEqualTo(takerOwed);
        assertThatThrownBy(() -> takerL1.escape(takerAfter))
            .isInstanceOfSatisfying(
                L1RevertedException.class,
                e -> assertThat(e.error()).isEqualTo("AlreadyEscaped(2)"));

        // the maker escapes with the CLI (proof from the node, escape, claim)
        Path keyFile = dir.resolve("maker-key.json");
        L2KeyFile.of(
                L1Address.fromHex(makerWallet.getAddress()),
                new KeyTypedData(31_337, rollup, 0),
                new byte[32])
            .withAccount(OrderScenario.MAKER)
            .write(keyFile);
        List<String> escape =
            List.of(
                "escape",
                "--url",
                url,
                "--l1-url",
                anvil.rpcUrl(),
                "--key-file",
                keyFile.toString(),
                "--private-key",
                Numeric.toHexStringWithPrefixZeroPadded(
                    makerWallet.getEcKeyPair().getPrivateKey(), 64),
                "--poll-ms",
                "200",
                "--json");
        Cli esc = cli(escape);
        assertThat(esc.code()).as(esc.err()).isZero();
        JsonNode e = new ObjectMapper().readTree(esc.out());
        assertThat(e.path("batch").asLong()).isEqualTo(verified);
        assertThat(e.path("stateRoot").asText()).isEqualTo(l1Root.toString());
        assertThat(e.path("escaped").bigIntegerValue()).isEqualTo(makerOwed);
        assertThat(e.path("claimed").bigIntegerValue()).isEqualTo(makerOwed);
        Cli again = cli(escape);
        assertThat(again.code()).as(again.err()).isEqualTo(ZkPerpCli.EXIT_L1_REVERTED);
        assertThat(again.err()).contains("AlreadyEscaped(1)");

        // exact ERC-20 balances; the fees stay in the vault as the verified collateral left
        assertThat(token.balanceOf(takerWallet.getAddress()).send())
            .isEqualTo(takerStart.add(takerOwed));
        assertThat(token.balanceOf(makerWallet.getAddress()).send())
            .isEqualTo(makerStart.add(makerOwed));
        assertThat(fixture.rollup().verifiedCollateral().send())
            .isEqualTo(BigInteger.valueOf(fees));
        assertThat(fixture.rollup().stateRoot().send()).isEqualTo(l1Root);
      }
    }
  }

  /** A CLI run's exit code and output. */
  record Cli(int code, String out, String err) {}

  static Cli cli(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        ZkPerpCli.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    System.out.print(err);
    return new Cli(code, out.toString(), err.toString());
  }
}
