package io.zkperp.node;

import static io.zkperp.node.NodeItSupport.OPERATOR;
import static io.zkperp.node.NodeItSupport.TUSD;
import static io.zkperp.node.NodeItSupport.await;
import static io.zkperp.node.NodeItSupport.big;
import static io.zkperp.node.NodeItSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.l1.AnvilExtension;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Sender;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.contracts.ZkPerpRollup;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.Transaction;

/**
 * Fee bumping on a real anvil: automining is off when the node commits batch 1, and the test then
 * raises the base fee a hundredfold so the commit cannot be mined; the submitter replaces it at the
 * same nonce with fees raised by at least 12.5 % (and to the new base fee), the replacement is
 * mined, and L1 has exactly one commit of batch 1 from exactly one operator transaction.
 */
class L1FeeBumpIT {
  static final BigInteger CAP = BigInteger.valueOf(1_000_000_000_000L); // 1,000 gwei

  @RegisterExtension static final AnvilExtension anvil = new AnvilExtension();

  @TempDir Path dir;

  @Test
  void aStuckCommitIsReplacedWithHigherFeesAtTheSameNonceAndLandsOnce() throws Exception {
    String url = anvil.rpcUrl();
    try (L1Session l1 = L1Session.connect(url)) {
      RollupDeployment d = NodeItSupport.deploy(l1);
      NodeItSupport.fundAndDeposit(
          l1, d, DevAccounts.account(2), NodeItSupport.l2Key(2), 1, 600 * TUSD);
      NodeConfig base = NodeItSupport.config(dir, url, d, NodeItSupport.worker(dir));
      NodeConfig.L1 b = base.l1();
      NodeConfig cfg =
          base.withL1(
              new NodeConfig.L1(
                  b.rpcUrl(),
                  b.rollup(),
                  b.operator(),
                  b.confirmations(),
                  b.finality(),
                  b.pageBlocks(),
                  b.startBlock(),
                  b.poll(),
                  L1Sender.Options.defaults().withReplacement(1_500, 125, CAP)));
      BigInteger nonceBefore = nonce(l1, DefaultBlockParameterName.LATEST);
      try (RollupNode node = RollupNode.open(cfg)) {
        NodeItSupport.mine(url, 1);
        await("batch 1 sealed", () -> status(node, 1) != null, 30);
        NodeItSupport.anvil(url, "evm_setAutomine", List.of(false));
        try {
          await("the commit of batch 1 is pending", () -> pendingCommit(l1).isPresent(), 90);
          Transaction first = pendingCommit(l1).orElseThrow();
          assertThat(first.getNonce()).isEqualTo(nonceBefore);
          // the next block's base fee is far above what the commit offers: it stays out
          BigInteger baseFee =
              l1.web3j()
                  .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                  .send()
                  .getBlock()
                  .getBaseFeePerGas();
          BigInteger high = baseFee.multiply(BigInteger.valueOf(100));
          assertThat(first.getMaxFeePerGas()).isLessThan(high);
          NodeItSupport.anvil(
              url, "anvil_setNextBlockBaseFeePerGas", List.of("0x" + high.toString(16)));
          NodeItSupport.mine(url, 1);
          assertThat(receipt(l1, first.getHash())).isFalse();
          // blocks keep coming; the submitter replaces the commit, which gets in
          await(
              "batch 1 committed",
              () -> {
                try {
                  NodeItSupport.mine(url, 1);
                  Thread.sleep(250);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return status(node, 1) == BatchStatus.COMMITTED
                    || status(node, 1) == BatchStatus.FINAL;
              },
              60);
          BatchRecord r = node.batches().get(1).orElseThrow();
          assertThat(r.l1TxHash()).isNotEqualTo(first.getHash());
          Transaction mined = l1.web3j().ethGetTransactionByHash(r.l1TxHash()).send().getResult();
          assertThat(mined.getNonce()).isEqualTo(nonceBefore);
          // ≥ +12.5 % on both fees, and never above the cap
          assertThat(mined.getMaxFeePerGas().multiply(BigInteger.valueOf(1000)))
              .isGreaterThanOrEqualTo(first.getMaxFeePerGas().multiply(BigInteger.valueOf(1125)));
          assertThat(mined.getMaxPriorityFeePerGas().multiply(BigInteger.valueOf(1000)))
              .isGreaterThanOrEqualTo(
                  first.getMaxPriorityFeePerGas().multiply(BigInteger.valueOf(1125)));
          assertThat(mined.getMaxFeePerGas()).isLessThanOrEqualTo(CAP);
          assertThat(receipt(l1, first.getHash())).isFalse();
          assertThat(NodeItSupport.get(node, "/metrics").body())
              .containsPattern("l1_commit_replacements [1-9]");
        } finally {
          NodeItSupport.anvil(url, "evm_setAutomine", List.of(true));
        }
        // exactly one commit of batch 1, from exactly one operator transaction
        NodeItSupport.mine(url, 2);
        ZkPerpRollup view =
            ZkPerpRollup.load(d.rollup(), l1.web3j(), l1.transactionManager(OPERATOR), l1.gas());
        assertThat(view.lastBatchNumber().send()).isEqualTo(big(1));
        assertThat(NodeItSupport.committedEvents(l1, d.rollup(), 1)).hasSize(1);
        assertThat(nonce(l1, DefaultBlockParameterName.LATEST))
            .isEqualTo(nonceBefore.add(BigInteger.ONE));
        assertThat(nonce(l1, DefaultBlockParameterName.PENDING))
            .isEqualTo(nonceBefore.add(BigInteger.ONE));
        assertThat(view.stateRoot().send()).isEqualTo(node.tree().root().toBigInteger());
      }
    }
  }

  private static BigInteger nonce(L1Session l1, DefaultBlockParameterName block)
      throws IOException {
    return l1.web3j()
        .ethGetTransactionCount(OPERATOR.getAddress(), block)
        .send()
        .getTransactionCount();
  }

  private static boolean receipt(L1Session l1, String hash) throws IOException {
    return l1.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt().isPresent();
  }

  /** The operator's transaction waiting in anvil's pool ({@code txpool_content}), if any. */
  private static Optional<Transaction> pendingCommit(L1Session l1) {
    try {
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(anvil.rpcUrl()))
                      .header("Content-Type", "application/json")
                      .POST(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"txpool_content\","
                                  + "\"params\":[]}"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      JsonNode pending = NodeItSupport.json(r.body()).path("result").path("pending");
      for (var e : pending.properties()) {
        if (e.getKey().equalsIgnoreCase(OPERATOR.getAddress())) {
          for (JsonNode tx : e.getValue()) {
            String hash = tx.path("hash").asText();
            return Optional.ofNullable(l1.web3j().ethGetTransactionByHash(hash).send().getResult());
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
