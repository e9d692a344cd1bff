package io.zkperp.node;

import static io.zkperp.node.NodeItSupport.TUSD;
import static io.zkperp.node.NodeItSupport.await;
import static io.zkperp.node.NodeItSupport.big;
import static io.zkperp.node.NodeItSupport.get;
import static io.zkperp.node.NodeItSupport.json;
import static io.zkperp.node.NodeItSupport.problem;
import static io.zkperp.node.NodeItSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.l1.AnvilExtension;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.L2Fixtures;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.contracts.TestUSD;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * Crash drill (c): the settling node's L1 endpoint is unreachable for 30 s (a {@link TcpProxy}
 * between the node and a real anvil resets every connection), while a proven batch waits to be
 * committed and a deposit arrives on L1. The submitter and the watcher wait with backoff (warnings
 * naming the batch, the stages' failure counters, {@code /health} 503), then resume: the waiting
 * batch is committed once, the deposit is credited once, the batches on L1 are contiguous with one
 * commit each, and every balance — on L2, on L1 and the ERC-20 after the claim — is exact. Then the
 * worst moment: L1 takes a commit and its answer is lost (the connection dropped, L1 away for 3 s):
 * the node records the batch from L1's event, and the batch was sent exactly once.
 */
class L1OutageIT {
  static final Duration OUTAGE = Duration.ofSeconds(30);

  @RegisterExtension static final AnvilExtension anvil = new AnvilExtension();

  @TempDir Path dir;

  final Credentials alice = DevAccounts.account(2);
  final Credentials bob = DevAccounts.account(3);
  final EdDsaPrivateKey aliceKey = NodeItSupport.l2Key(2);
  final EdDsaPrivateKey bobKey = NodeItSupport.l2Key(3);

  private static BigInteger operatorNonce(L1Session l1) throws java.io.IOException {
    return l1.web3j()
        .ethGetTransactionCount(
            NodeItSupport.OPERATOR.getAddress(),
            org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount();
  }

  @Test
  void theSubmitterAndTheWatcherWaitOutA30SecondOutageAndResumeSkippingAndRepeatingNothing()
      throws Exception {
    Logger submitterLog = (Logger) LoggerFactory.getLogger(L1Submitter.class);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    submitterLog.addAppender(warnings);
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl());
        TcpProxy proxy = TcpProxy.start("127.0.0.1", NodeItSupport.port(anvil.rpcUrl()))) {
      RollupDeployment d = NodeItSupport.deploy(l1);
      TestUSD token =
          TestUSD.load(d.collateral(), l1.web3j(), l1.transactionManager(alice), l1.gas());
      ZkPerpRollup view =
          ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(alice), l1.gas());
      BigInteger aliceStart = token.balanceOf(alice.getAddress()).send();
      NodeItSupport.fundAndDeposit(l1, d, alice, aliceKey, 1, 600 * TUSD);
      NodeConfig cfg =
          NodeItSupport.config(dir, proxy.url(), d, NodeItSupport.worker(dir))
              .withStallAfter(Duration.ofSeconds(5));
      try (RollupNode node = RollupNode.open(cfg)) {
        NodeItSupport.mine(anvil.rpcUrl(), 1);
        await("Alice's deposit committed", () -> status(node, 1) == BatchStatus.COMMITTED, 90);
        CommandOutcome w =
            node.submitWithdrawal(L2Fixtures.withdrawal(aliceKey, 1, alice, 250 * TUSD, 0));
        assertThat(w).isInstanceOf(CommandOutcome.Accepted.class);
        await("batch 2 with the withdrawal proving", () -> status(node, 2) != null, 30);

        // L1 goes away while batch 2 is proven; Bob deposits on L1 meanwhile
        proxy.cutOff();
        long outageStart = System.nanoTime();
        NodeItSupport.fundAndDeposit(l1, d, bob, bobKey, 2, 200 * TUSD);
        NodeItSupport.mine(anvil.rpcUrl(), 2);
        // (the outage lasts until batch 2 is proven and seen waiting, and at least 30 s)
        await("batch 2 proven in the outage", () -> status(node, 2) == BatchStatus.PROVEN, 120);
        await(
            "the node reports the submitter stalled on batch 2",
            () ->
                problem(json(get(node, "/health").body()), "l1-submitter")
                    .path("reason")
                    .asText()
                    .contains("batch 2 proven, not yet committed on L1"),
            25);
        assertThat(get(node, "/health").statusCode()).isEqualTo(503);
        JsonNode health = json(get(node, "/health").body());
        assertThat(problem(health, "l1-submitter").path("stalledSeconds").asDouble())
            .isGreaterThan(5.0);
        assertThat(problem(health, "l1-watcher").path("reason").asText()).contains("last error");
        long left = OUTAGE.toNanos() - (System.nanoTime() - outageStart);
        Thread.sleep(Math.max(0, left / 1_000_000));
        // nothing moved on L1 or into the engine while it was unreachable
        assertThat(status(node, 2)).isEqualTo(BatchStatus.PROVEN);
        assertThat(view.lastBatchNumber().send()).isEqualTo(big(1));
        assertThat(node.accounts().nextPriorityIndex()).isEqualTo(1);
        assertThat(proxy.refused()).isPositive();
        String metrics = get(node, "/metrics").body();
        assertThat(metrics)
            .containsPattern("node_stage_failures_total\\{stage=\"l1-submitter\"} [1-9]")
            .containsPattern("node_stage_failures_total\\{stage=\"l1-watcher\"} [1-9]");
        assertThat(warnings.list)
            .anySatisfy(
                e ->
                    assertThat(e.getFormattedMessage())
                        .contains("L1 submitter (batch 2 proven, not yet committed on L1)"));

        proxy.restore();
        await("Bob's deposit credited", () -> node.accounts().nextPriorityIndex() == 2, 60);
        await(
            "every batch final",
            () -> {
              try {
                NodeItSupport.mine(anvil.rpcUrl(), 1);
                List<BatchRecord> all = node.batches().range(1, 100);
                return all.size() >= 3
                    && all.stream().allMatch(r -> r.status() == BatchStatus.FINAL)
                    && node.settlement().recordsWaiting() == 0;
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            120);
        List<BatchRecord> all = node.batches().range(1, 100);
        long n = all.size();
        // contiguous: each batch on L1 once, in order, journal ranges back to back
        assertThat(view.lastBatchNumber().send()).isEqualTo(big(n));
        for (int i = 0; i < all.size(); i++) {
          assertThat(all.get(i).number()).isEqualTo(i + 1L);
          assertThat(NodeItSupport.committedEvents(l1, d.rollup(), i + 1L)).hasSize(1);
          if (i > 0) {
            assertThat(all.get(i).firstSeq()).isGreaterThan(all.get(i - 1).lastSeq());
            assertThat(all.get(i).l1Block()).isGreaterThan(all.get(i - 1).l1Block());
          }
        }
        assertThat(NodeItSupport.committedEvents(l1, d.rollup(), n + 1)).isEmpty();
        assertThat(all.stream().mapToInt(BatchRecord::priorityCount).sum()).isEqualTo(2);
        assertThat(view.consumedPriorityOps().send()).isEqualTo(big(2));
        assertThat(view.stateRoot().send()).isEqualTo(node.tree().root().toBigInteger());
        assertThat(node.tree().view().account(1).orElseThrow().collateral()).isEqualTo(350 * TUSD);
        assertThat(node.tree().view().account(2).orElseThrow().collateral()).isEqualTo(200 * TUSD);
        assertThat(node.gateway().readModel().account(2).collateral()).isEqualTo(200 * TUSD);
        assertThat(view.withdrawable(alice.getAddress()).send()).isEqualTo(big(250 * TUSD));

        // the worst moment: L1 takes a commit and the node never hears the answer
        BigInteger operatorNonce = operatorNonce(l1);
        proxy.cutOffAfterRequest("eth_sendRawTransaction");
        assertThat(node.submitWithdrawal(L2Fixtures.withdrawal(aliceKey, 1, alice, 50 * TUSD, 1)))
            .isInstanceOf(CommandOutcome.Accepted.class);
        await("a commit sent and its answer lost", () -> proxy.tripped() == 1, 120);
        long next = n + 1;
        assertThat(view.lastBatchNumber().send()).isEqualTo(big(next)); // anvil mined it
        assertThat(status(node, next)).isEqualTo(BatchStatus.PROVEN); // the node does not know
        Thread.sleep(3_000);
        proxy.restore();
        await(
            "batch " + next + " recorded as committed",
            () -> {
              BatchStatus st = status(node, next);
              return st == BatchStatus.COMMITTED || st == BatchStatus.FINAL;
            },
            60);
        // sent once: one commit of the batch, one operator transaction
        assertThat(NodeItSupport.committedEvents(l1, d.rollup(), next)).hasSize(1);
        assertThat(operatorNonce(l1)).isEqualTo(operatorNonce.add(BigInteger.ONE));
        assertThat(view.withdrawable(alice.getAddress()).send()).isEqualTo(big(300 * TUSD));
        assertThat(view.stateRoot().send()).isEqualTo(node.tree().root().toBigInteger());
        await("healthy again", () -> get(node, "/health").statusCode() == 200, 15);
      }
      ZkPerpRollup asAlice =
          ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(alice), l1.gas());
      l1.send(alice.getAddress(), d.rollup(), asAlice.withdraw(), "withdraw");
      assertThat(token.balanceOf(alice.getAddress()).send())
          .isEqualTo(aliceStart.add(big((1_000 - 600 + 300) * TUSD)));
      assertThat(token.balanceOf(d.rollup()).send()).isEqualTo(big((600 - 300 + 200) * TUSD));
    } finally {
      submitterLog.detachAppender(warnings);
    }
  }
}
