package io.zkperp.node;

import static io.zkperp.l1.L2Fixtures.transfer;
import static io.zkperp.l1.L2Fixtures.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.L2Transaction;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.l1.AnvilExtension;
import io.zkperp.l1.DeployParams;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.L2Fixtures;
import io.zkperp.l1.RollupDeployer;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.WorkerOptions;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * End to end on a real anvil with real Groth16 proofs (tiny shape, 2 slots, keys from the shared
 * cache): two traders deposit on L1 and one requests a forced withdrawal → credited by the node
 * after the confirmations → a signed transfer and a signed withdrawal through the node's Java API →
 * batches proven by a prover worker process (killed once mid-proof: the job is retried) → committed
 * on L1 in order → final → both withdrawals claimed on L1 with exact ERC-20 balances; then a
 * restart credits nothing twice and submits nothing again.
 */
class RollupNodeIT {
  static final long TUSD = 1_000_000L;
  static final String SHAPE = "tiny";
  static final long CONFIRMATIONS = 2;
  static final long FINALITY = 2;

  @RegisterExtension static final AnvilExtension anvil = new AnvilExtension();

  final Credentials deployer = DevAccounts.account(0);
  final Credentials operator = DevAccounts.account(1);
  final Credentials alice = DevAccounts.account(2);
  final Credentials bob = DevAccounts.account(3);
  final EdDsaPrivateKey aliceKey = l2Key(2);
  final EdDsaPrivateKey bobKey = l2Key(3);

  @TempDir Path dir;

  @Test
  void depositsTransferAndWithdrawalAreProvenCommittedFinalAndClaimedOnL1() throws Exception {
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d =
          RollupDeployer.deploy(
              l1,
              deployer,
              DeployParams.devnet(SHAPE, deployer.getAddress(), operator.getAddress(), 3_600));
      TestUSD token =
          TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(deployer), l1.gas());
      ZkPerpRollup view =
          ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(deployer), l1.gas());
      BigInteger aliceStart = token.balanceOf(alice.getAddress()).send();
      BigInteger bobStart = token.balanceOf(bob.getAddress()).send();
      fundAndDeposit(l1, d, alice, aliceKey, 1, 600 * TUSD);
      fundAndDeposit(l1, d, bob, bobKey, 2, 200 * TUSD);
      BigInteger fee = DeployParams.DEVNET_FORCED_REQUEST_FEE_WEI;
      ZkPerpRollup asAlice =
          ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(alice), l1.gas());
      l1.send(
          alice.getAddress(),
          d.rollup(),
          asAlice.requestForcedWithdrawal(BigInteger.ONE, big(100 * TUSD), fee),
          fee,
          "requestForcedWithdrawal");

      NodeConfig cfg = config(d);
      List<String> seenLast = new ArrayList<>();
      long lastBatch;
      try (RollupNode node = RollupNode.open(cfg)) {
        // not credited before its confirmations (the last deposit's block is the head)
        Thread.sleep(1_000);
        assertThat(node.accounts().nextPriorityIndex()).isLessThan(3);
        mine(CONFIRMATIONS);
        await(
            "deposits and forced withdrawal credited",
            () -> node.accounts().nextPriorityIndex() == 3,
            30);
        assertThat(node.accounts().account(1).owner())
            .isEqualTo(L1Address.fromHex(alice.getAddress()));
        // the depositor's key is in the gateway's directory: it can sign orders now
        assertThat(node.accounts().publicKey(2)).isEqualTo(bobKey.publicKey());
        assertThat(node.gateway().readModel().account(1).collateral()).isEqualTo(500 * TUSD);

        // signed transfer and withdrawal over JSON-RPC; bad ones are refused before the engine
        Rpc rpc = new Rpc(node.gateway().port());
        JsonNode bad = rpc.call("perp_transfer", transferParams(bobKey, 1, 2, 150 * TUSD, 0));
        assertThat(bad.path("error").path("data").path("error").asText())
            .isEqualTo("BAD_SIGNATURE");
        assertThat(bad.path("error").path("code").asInt()).isEqualTo(1001);
        JsonNode stale = rpc.call("perp_transfer", transferParams(aliceKey, 1, 2, 150 * TUSD, 1));
        assertThat(stale.path("error").path("data").path("error").asText())
            .isEqualTo("WRONG_TRANSACTION_NONCE");
        JsonNode tr = rpc.call("perp_transfer", transferParams(aliceKey, 1, 2, 150 * TUSD, 0));
        assertThat(tr.path("result").path("status").asText())
            .as(tr.toString())
            .isEqualTo("accepted");
        JsonNode wd = rpc.call("perp_withdraw", withdrawParams(bobKey, 2, bob, 250 * TUSD, 0));
        assertThat(wd.path("result").path("status").asText())
            .as(wd.toString())
            .isEqualTo("accepted");
        long lastSeq = wd.path("result").path("journalSeq").asLong();
        assertThat(lastSeq).isEqualTo(tr.path("result").path("journalSeq").asLong() + 1);
        // the same withdrawal again: its nonce is used
        assertThat(
                rpc.call("perp_withdraw", withdrawParams(bobKey, 2, bob, 250 * TUSD, 0))
                    .path("error")
                    .path("code")
                    .asInt())
            .isEqualTo(5004);
        assertThat(
                rpc.call("perp_getBatch", Map.of("batch", 99)).path("error").path("code").asInt())
            .isEqualTo(5005);

        // Batches of 2 slots, cut when full or 2 s after their first transaction: usually the
        // deposits, then the forced withdrawal with the transfer, then the withdrawal. The worker
        // is killed while it
        // proves batch 2: the supervisor restarts it and the job is retried.
        WorkerProofJobs jobs = (WorkerProofJobs) node.proofJobs();
        await("batch 2 handed to the prover", () -> status(node, 2) == BatchStatus.PROVING, 60);
        long pid = jobs.client().worker().orElseThrow().pid();
        jobs.client().worker().orElseThrow().destroyForcibly();
        // follow the withdrawal's finality over JSON-RPC until it is final, recording its states
        long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        JsonNode fin = null;
        while (System.nanoTime() < deadline) {
          fin = rpc.call("perp_getSettlement", Map.of("journalSeq", lastSeq)).path("result");
          String st = fin.path("status").asText();
          if (seenLast.isEmpty() || !seenLast.getLast().equals(st)) {
            seenLast.add(st);
          }
          if (st.equals("COMMITTED")) {
            mine(FINALITY);
          }
          if (st.equals("FINAL")) {
            break;
          }
          Thread.sleep(100);
        }
        assertThat(fin.path("l1TxHash").asText()).startsWith("0x");
        BatchRecord last = node.batches().get(fin.path("batch").asLong()).orElseThrow();
        assertThat(last.lastSeq()).isEqualTo(lastSeq);
        JsonNode batchJson =
            rpc.call("perp_getBatch", Map.of("batch", last.number())).path("result");
        assertThat(batchJson.path("status").asText()).isEqualTo("FINAL");
        assertThat(batchJson.path("lastJournalSeq").asLong()).isEqualTo(lastSeq);
        assertThat(batchJson.path("l1Block").asLong()).isEqualTo(last.l1Block());
        // accepted → … → FINAL, each state once and in order
        List<String> order =
            List.of("accepted", "SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL");
        assertThat(seenLast).last().isEqualTo("FINAL");
        assertThat(seenLast).allMatch(order::contains);
        assertThat(seenLast.stream().map(order::indexOf).toList())
            .isSortedAccordingTo(java.util.Comparator.naturalOrder());
        assertThat(jobs.client().restarts()).isPositive();
        assertThat(jobs.client().worker().orElseThrow().pid()).isNotEqualTo(pid);
        assertThat(node.settlement().pausedAt()).isZero();
        long n = last.number();
        assertThat(node.batches().get(n + 1)).isEmpty();
        assertThat(n).isBetween(3L, 5L); // 5 transactions, 2 slots, cut by size or by time
        List<BatchRecord> all = node.batches().range(1, 100);
        assertThat(all).hasSize((int) n);
        assertThat(all).allSatisfy(r -> assertThat(r.status()).isEqualTo(BatchStatus.FINAL));
        assertThat(all.stream().mapToInt(BatchRecord::txCount).sum()).isEqualTo(5);
        assertThat(all.stream().mapToInt(BatchRecord::priorityCount).sum()).isEqualTo(3);
        for (int i = 1; i < all.size(); i++) {
          assertThat(all.get(i).l1Block()).isGreaterThan(all.get(i - 1).l1Block());
          assertThat(all.get(i).firstSeq()).isGreaterThan(all.get(i - 1).lastSeq());
        }

        // the stages' gauges on /metrics
        String metrics =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + node.gateway().port() + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
            .contains("settlement_last_sealed_batch " + (double) n)
            .contains("settlement_batches{status=\"FINAL\"} " + (double) n)
            .contains("settlement_paused 0.0")
            .contains("l1_last_batch " + (double) n)
            .containsPattern("l1_head_block [1-9]")
            .containsPattern("l1_gas_spent [1-9]");

        // perp_getBatches pages the same batches newest first, with roots that chain, the times
        // this node saw each status and the proof time
        List<JsonNode> paged = new ArrayList<>();
        Map<String, Object> pageParams = new java.util.HashMap<>(Map.of("limit", 2));
        while (true) {
          JsonNode page = rpc.call("perp_getBatches", pageParams).path("result");
          assertThat(page.path("batches").size()).as(page.toString()).isBetween(1, 2);
          page.path("batches").forEach(paged::add);
          if (page.path("nextCursor").isNull()) {
            break;
          }
          pageParams.put("cursor", page.path("nextCursor").asText());
        }
        assertThat(paged.stream().map(b -> b.path("batch").asLong()).toList())
            .isEqualTo(
                java.util.stream.LongStream.iterate(n, i -> i >= 1, i -> i - 1).boxed().toList());
        for (int i = 0; i < paged.size(); i++) {
          JsonNode b = paged.get(i);
          BatchRecord r = all.get(all.size() - 1 - i);
          assertThat(b.path("status").asText()).isEqualTo("FINAL");
          assertThat(b.path("transactions").asInt()).isEqualTo(r.txCount());
          assertThat(b.path("l1TxHash").asText()).isEqualTo(r.l1TxHash());
          assertThat(b.path("l1Block").asLong()).isEqualTo(r.l1Block());
          JsonNode t = b.path("times");
          List<Long> seen = new ArrayList<>();
          for (String st : List.of("SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL")) {
            assertThat(t.has(st)).as("batch %s saw %s: %s", r.number(), st, t).isTrue();
            seen.add(t.path(st).asLong());
          }
          assertThat(seen).isSorted();
          assertThat(b.path("proofMillis").asLong())
              .isEqualTo(t.path("PROVEN").asLong() - t.path("PROVING").asLong());
          if (i + 1 < paged.size()) {
            assertThat(b.path("oldStateRoot").asText())
                .isEqualTo(paged.get(i + 1).path("newStateRoot").asText());
          }
        }
        assertThat(paged.getFirst().path("newStateRoot").asText())
            .isEqualTo(node.tree().root().toBigInteger().toString());
        // bad cursors and limits: typed errors
        assertThat(rpc.call("perp_getBatches", Map.of("cursor", "1.0")).path("error").path("code"))
            .hasToString("-32602");
        assertThat(rpc.call("perp_getBatches", Map.of("limit", 101)).path("error").path("code"))
            .hasToString("-32602");

        // L1 agrees with the node's tree
        assertThat(view.lastBatchNumber().send()).isEqualTo(big(n));
        assertThat(view.stateRoot().send()).isEqualTo(node.tree().root().toBigInteger());
        assertThat(view.consumedPriorityOps().send()).isEqualTo(big(3));
        assertThat(view.withdrawable(bob.getAddress()).send()).isEqualTo(big(250 * TUSD));
        assertThat(view.withdrawable(alice.getAddress()).send()).isEqualTo(big(100 * TUSD));
        assertThat(view.feeBalance(operator.getAddress()).send()).isEqualTo(fee);
        assertThat(node.tree().view().account(1).orElseThrow().collateral()).isEqualTo(350 * TUSD);
        assertThat(node.tree().view().account(2).orElseThrow().collateral()).isEqualTo(100 * TUSD);
        lastBatch = n;
      }

      // Bob and Alice claim on L1: every balance is exact
      ZkPerpRollup asBob =
          ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(bob), l1.gas());
      l1.send(bob.getAddress(), d.rollup(), asBob.withdraw(), "withdraw");
      l1.send(alice.getAddress(), d.rollup(), asAlice.withdraw(), "withdraw");
      assertThat(token.balanceOf(bob.getAddress()).send())
          .isEqualTo(bobStart.add(big((1_000 - 200 + 250) * TUSD)));
      assertThat(token.balanceOf(alice.getAddress()).send())
          .isEqualTo(aliceStart.add(big((1_000 - 600 + 100) * TUSD)));
      assertThat(token.balanceOf(d.rollup()).send()).isEqualTo(big(450 * TUSD));
      assertThat(view.verifiedCollateral().send()).isEqualTo(big(450 * TUSD));
      assertThat(view.pendingDepositTotal().send()).isZero();

      // a restart replays the journal: nothing credited twice, nothing sealed or sent again
      try (RollupNode node = RollupNode.open(cfg)) {
        mine(3);
        Thread.sleep(2_000);
        assertThat(node.accounts().nextPriorityIndex()).isEqualTo(3);
        assertThat(node.settlement().lastSealed()).isEqualTo(lastBatch);
        assertThat(node.batches().get(lastBatch + 1)).isEmpty();
        assertThat(node.gateway().readModel().account(1).collateral()).isEqualTo(350 * TUSD);
        assertThat(view.lastBatchNumber().send()).isEqualTo(big(lastBatch));
        assertThat(node.batches().get(lastBatch).orElseThrow().status())
            .isEqualTo(BatchStatus.FINAL);
        // after the restart the batches are still paged; their earlier transitions were not seen
        JsonNode newest =
            new Rpc(node.gateway().port())
                .call("perp_getBatches", Map.of("limit", 1))
                .path("result");
        assertThat(newest.path("batches").get(0).path("batch").asLong()).isEqualTo(lastBatch);
        assertThat(newest.path("batches").get(0).path("times").size()).isZero();
        assertThat(newest.path("batches").get(0).has("proofMillis")).isFalse();
      }
    }
  }

  // --- helpers

  /** A JSON-RPC client over HTTP ({@link GatewayRpc}, under the name the v2 tests use). */
  static final class Rpc extends GatewayRpc {
    Rpc(int port) {
      super(port);
    }
  }

  static Map<String, Object> transferParams(
      EdDsaPrivateKey key, int from, int to, long amount, long nonce) {
    L2Transaction.Transfer t = transfer(key, from, to, amount, nonce);
    return Map.of(
        "from",
        from,
        "to",
        to,
        "amount",
        amount,
        "nonce",
        nonce,
        "signature",
        "0x" + HexFormat.of().formatHex(t.signature().bytes()));
  }

  static Map<String, Object> withdrawParams(
      EdDsaPrivateKey key, int account, Credentials owner, long amount, long nonce) {
    L2Transaction.Withdrawal w = withdrawal(key, account, owner, amount, nonce);
    return Map.of(
        "account",
        account,
        "amount",
        amount,
        "nonce",
        nonce,
        "signature",
        "0x" + HexFormat.of().formatHex(w.signature().bytes()));
  }

  static BatchStatus status(RollupNode node, long batch) {
    try {
      return node.batches().get(batch).map(BatchRecord::status).orElse(null);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
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
        Duration.ofSeconds(2),
        worker,
        new NodeConfig.L1(
            anvil.rpcUrl(),
            d.rollup(),
            operator,
            CONFIRMATIONS,
            FINALITY,
            100,
            0,
            Duration.ofMillis(200)));
  }

  static void await(String what, BooleanSupplier done, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }

  static void mine(long blocks) throws IOException {
    HttpService http = new HttpService(anvil.rpcUrl());
    for (long i = 0; i < blocks; i++) {
      new Request<>("evm_mine", List.of(), http, VoidResponse.class).send();
    }
  }

  static EdDsaPrivateKey l2Key(int holder) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (0x40 + holder));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  static void fundAndDeposit(
      L1Session l1,
      RollupDeployment d,
      Credentials who,
      EdDsaPrivateKey key,
      int accountId,
      long amount) {
    TestUSD t = TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(who), l1.gas());
    l1.send(who.getAddress(), d.collateral(), t.faucet(big(1_000 * TUSD)), "faucet");
    l1.send(who.getAddress(), d.collateral(), t.approve(d.rollup(), big(amount)), "approve");
    L2Fixtures.deposit(l1, d, who, key, accountId, amount);
  }
}
