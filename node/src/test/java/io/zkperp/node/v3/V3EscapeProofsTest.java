package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.client.l1.EscapeArgumentV3;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.rpc.V3EscapeProofMethod;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.state.v2.StateViewV2;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.TypeEncoder;

/**
 * {@link V3EscapeProofs} and {@code perp_getEscapeProof} on a format v3 node's real stores: the
 * order scenario ({@link OrderScenario}: two deposits, an oracle tick at 10,000, the maker sells 10
 * to the taker, a funding tick of Δindex 0, the maker withdraws 250,000) settled by a real {@link
 * SettlementV3} on RocksDB ({@link SettlementV3Test.Node}) into two v3-tiny batches, whose records
 * are then marked committed on L1 as the submitter does. The proof is of the last committed batch's
 * tree version, not of the newer tree; a proof of an older root no longer verifies once a newer
 * batch is committed; refusals are typed.
 */
class V3EscapeProofsTest {
  static final long START = SettlementV3Test.START;

  @Test
  void proofsAreOfTheLastBatchCommittedOnL1WithPositionsAndTheirMarkets(@TempDir Path dir)
      throws Exception {
    try (FixtureChain chain = new FixtureChain(dir.resolve("harness"), START);
        SettlementV3Test.Node node =
            new SettlementV3Test.Node(dir.resolve("node"), Duration.ofSeconds(1))) {
      OrderScenario.run(chain, SettlementV3Test.MAKER_OWNER, SettlementV3Test.TAKER_OWNER);
      chain.inputs.forEach(node.settlement::offer);
      await(node, 2);
      V3EscapeProofs proofs = new V3EscapeProofs(node.batches, node.settled, node.tree.store());
      Fr root1 = chain.sealed.get(0).newRoot();
      Fr root2 = chain.sealed.get(1).newRoot();
      assertThat(root1).isNotEqualTo(root2);

      // nothing on L1 yet: the verified state is the genesis
      refused(proofs, OrderScenario.MAKER, EscapeProofRefusedException.Reason.NO_VERIFIED_BATCH);

      // batch 1 (the maker's deposit) on L1; batch 2 sealed, the tree past it
      commit(node, 1);
      V3EscapeProof maker1 = proofs.of(OrderScenario.MAKER);
      assertThat(maker1.batch()).isEqualTo(1);
      assertThat(maker1.stateRoot()).isEqualTo(root1);
      assertThat(node.tree.store().roots().stateRoot())
          .as("the node's tree is newer")
          .isEqualTo(root2);
      assertThat(maker1.verifies(root1)).isTrue();
      assertThat(maker1.verifies(root2)).isFalse();
      assertThat(maker1.account().account().collateral()).isEqualTo(OrderScenario.DEPOSIT);
      assertThat(maker1.markets()).isEmpty();
      assertThat(maker1.owed()).isEqualTo(BigInteger.valueOf(OrderScenario.DEPOSIT));
      // the taker's deposit is in batch 2, not yet on L1
      refused(proofs, OrderScenario.TAKER, EscapeProofRefusedException.Reason.UNKNOWN_ACCOUNT);
      refused(proofs, 7, EscapeProofRefusedException.Reason.UNKNOWN_ACCOUNT);
      refused(
          proofs,
          LayoutV2.INSURANCE_FUND_ACCOUNT,
          EscapeProofRefusedException.Reason.INSURANCE_FUND);
      assertThatThrownBy(() -> proofs.of(1L << 24)).isInstanceOf(IllegalArgumentException.class);

      // batch 2 on L1: both hold a position in market 1 at the oracle price 10,000
      commit(node, 2);
      V3EscapeProof maker = proofs.of(OrderScenario.MAKER);
      V3EscapeProof taker = proofs.of(OrderScenario.TAKER);
      assertThat(maker.batch()).isEqualTo(2);
      assertThat(maker.stateRoot()).isEqualTo(root2);
      assertThat(maker.verifies(root2)).isTrue();
      assertThat(taker.verifies(root2)).isTrue();
      assertThat(maker1.verifies(root2)).as("the batch 1 proof is stale").isFalse();
      assertThat(position(maker)).isEqualTo(-OrderScenario.SIZE);
      assertThat(position(taker)).isEqualTo(OrderScenario.SIZE);
      for (V3EscapeProof p : java.util.List.of(maker, taker)) {
        assertThat(p.markets()).hasSize(1);
        assertThat(p.markets().get(0).marketId()).isEqualTo(1);
        assertThat(p.markets().get(0).market().oraclePrice()).isEqualTo(OrderScenario.PRICE << 32);
      }
      // owed = collateral ± size · price (funding Δindex 0)
      long value = OrderScenario.SIZE * OrderScenario.PRICE;
      long makerCollateral = maker.account().account().collateral();
      long takerCollateral = taker.account().account().collateral();
      assertThat(maker.owed()).isEqualTo(BigInteger.valueOf(makerCollateral - value));
      assertThat(taker.owed()).isEqualTo(BigInteger.valueOf(takerCollateral + value));
      long fees;
      try (StateViewV2 v = node.tree.store().view()) {
        fees = v.global().feeBalance();
      }
      assertThat(maker.owed().add(taker.owed()).add(BigInteger.valueOf(fees)))
          .as("what both are owed and the fees are the deposits less the withdrawal")
          .isEqualTo(BigInteger.valueOf(2 * OrderScenario.DEPOSIT - OrderScenario.WITHDRAWN));

      // the contract's argument: the packed positions and the market leaf preimage
      ZkPerpRollupV3.Proof arg = taker.contractArgument();
      AccountV2 a = taker.account().account();
      assertThat(arg.account.positions)
          .containsExactlyElementsOf(
              java.util.Arrays.stream(a.positions().pack()).map(Fr::toBigInteger).toList());
      assertThat(arg.account.accountSiblings).hasSize(24);
      assertThat(arg.markets.get(0).siblings).hasSize(6);
      assertThat(arg.markets.get(0).market.riskHash)
          .isEqualTo(taker.markets().get(0).market().risk().hash().toBigInteger());

      // over the method: the client reads back the same ABI argument
      V3EscapeProofMethod method = new V3EscapeProofMethod(proofs, Runnable::run);
      JsonNode served = call(method, OrderScenario.TAKER);
      assertThat(EscapeArgumentV3.isV3(served)).isTrue();
      EscapeArgumentV3 read = EscapeArgumentV3.of(served);
      assertThat(read.batch()).isEqualTo(2);
      assertThat(read.stateRoot()).isEqualTo(root2.toBigInteger());
      assertThat(read.owed()).isEqualTo(taker.owed());
      assertThat(TypeEncoder.encode(read.proof())).isEqualTo(TypeEncoder.encode(arg));
      assertThat(served.path("positions").get(0).path("size").asLong())
          .isEqualTo(OrderScenario.SIZE);
      rpcRefused(method, 7, RpcError.NOT_IN_VERIFIED_STATE);
    }
  }

  @Test
  void aBatchWhoseStateIsNotATreeVersionOrDisagreesIsRefused(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = new FixtureChain(dir.resolve("harness"), START);
        SettlementV3Test.Node node =
            new SettlementV3Test.Node(dir.resolve("node"), Duration.ofSeconds(1))) {
      OrderScenario.run(chain, SettlementV3Test.MAKER_OWNER, SettlementV3Test.TAKER_OWNER);
      chain.inputs.forEach(node.settlement::offer);
      await(node, 2);
      commit(node, 1);
      commit(node, 2);
      V3EscapeProofs proofs = new V3EscapeProofs(node.batches, node.settled, node.tree.store());
      V3BatchRecord two = node.settled.get(2).orElseThrow();
      V3BatchRecord one = node.settled.get(1).orElseThrow();
      // batch 2's record pointing at batch 1's tree version: the roots disagree
      node.settled.put(withResume(two, one.resume()));
      refused(proofs, OrderScenario.MAKER, EscapeProofRefusedException.Reason.STORES_DISAGREE);
      V3EscapeProofMethod method = new V3EscapeProofMethod(proofs, Runnable::run);
      assertThatThrownBy(() -> call(method, OrderScenario.MAKER))
          .hasRootCauseInstanceOf(EscapeProofRefusedException.class);
      // batch 2 cut inside a command: its state is no tree version
      node.settled.put(
          withResume(
              two, new V3BatchRecord.Resume(two.resume().treeVersion(), two.resume().seq(), 1)));
      refused(proofs, OrderScenario.MAKER, EscapeProofRefusedException.Reason.STATE_NOT_KEPT);
      rpcRefused(method, OrderScenario.MAKER, RpcError.ESCAPE_UNSUPPORTED);
      // the record put back: answered again
      node.settled.put(two);
      assertThat(proofs.of(OrderScenario.MAKER).batch()).isEqualTo(2);
    }
  }

  private static V3BatchRecord withResume(V3BatchRecord r, V3BatchRecord.Resume resume) {
    return new V3BatchRecord(
        r.number(),
        r.shapeName(),
        r.batchTime(),
        r.priorityBefore(),
        r.stateRootBefore(),
        r.stateRootAfter(),
        r.priorityAfter(),
        r.priorityCount(),
        r.publicInput(),
        r.origins(),
        resume);
  }

  private static long position(V3EscapeProof p) {
    return p.account().account().positions().entries().stream()
        .filter(e -> !e.isEmpty())
        .mapToLong(PositionEntry::size)
        .sum();
  }

  private static void commit(SettlementV3Test.Node node, long n) throws Exception {
    BatchRecord r = node.batches.get(n).orElseThrow();
    node.batches.put(r.committed("0x" + "ab".repeat(32), 10 + n));
  }

  private static void await(SettlementV3Test.Node node, long sealed) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (node.settlement.lastSealed() < sealed) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("batch " + sealed + " not sealed");
      }
      Thread.sleep(10);
    }
  }

  private static void refused(
      V3EscapeProofs proofs, long account, EscapeProofRefusedException.Reason reason) {
    assertThatThrownBy(() -> proofs.of(account))
        .isInstanceOfSatisfying(
            EscapeProofRefusedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static JsonNode call(V3EscapeProofMethod m, int account) {
    JsonNode params =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
            .objectNode()
            .put("account", account);
    try {
      return m.handle(Params.of(params, RpcMethod.GET_ESCAPE_PROOF.params())).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static void rpcRefused(V3EscapeProofMethod m, int account, RpcError error) {
    assertThatThrownBy(() -> call(m, account))
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.error()).isEqualTo(error));
  }
}
