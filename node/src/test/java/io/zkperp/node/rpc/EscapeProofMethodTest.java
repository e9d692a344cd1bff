package io.zkperp.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStore;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.Position;
import io.zkperp.state.AccountProof;
import io.zkperp.state.RollupStateStore;
import io.zkperp.state.StateBatch;
import io.zkperp.state.StateView;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code perp_getEscapeProof} on a real RocksDB state tree and batch store: the proof is of the
 * tree's version of the last batch committed on L1, not of the latest state; accounts missing
 * there, holding positions, or a batch whose root is not the tree's are refused.
 */
class EscapeProofMethodTest {
  static final L1Address ALICE = L1Address.fromHex("0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc");

  @TempDir Path dir;

  static Account account(long collateral) {
    return new Account(Fr.fromLong(11), Fr.fromLong(12), ALICE, 3, collateral);
  }

  /** Commits one tree version and records it as batch {@code n} with the tree's new root. */
  static void batch(
      RollupStateStore tree, BatchStore batches, long n, boolean onL1, Consumer<StateBatch> body)
      throws Exception {
    Fr root;
    try (StateBatch b = tree.beginBatch()) {
      body.accept(b);
      root = b.commit().stateRoot();
    }
    byte[] commitment = new byte[100];
    System.arraycopy(root.toBytes(), 0, commitment, 32, 32);
    BatchRecord r = BatchRecord.sealed(n, n, n, 1, 0, new byte[32], new byte[1], commitment);
    batches.put(onL1 ? r.committed("0x" + "ab".repeat(32), 10 + n) : r);
  }

  @Test
  void answersFromTheLastVersionCommittedOnL1() throws Exception {
    try (RollupStateStore tree = RollupStateStore.open(dir.resolve("state"));
        BatchStore batches = BatchStore.open(dir.resolve("batches"))) {
      EscapeProofMethod m = new EscapeProofMethod(batches, tree, Runnable::run);
      // nothing on L1 yet
      refused(m, 1, RpcError.NOT_IN_VERIFIED_STATE, "no batch is committed on L1 yet");

      batch(
          tree,
          batches,
          1,
          true,
          b -> {
            b.setAccount(1, account(500));
            b.setAccount(2, account(70));
            b.setPosition(2, 1, new Position(5, 0));
          });
      // a later batch that is not on L1 moves Alice's collateral: the answer must not see it
      batch(tree, batches, 2, false, b -> b.setAccount(1, account(100)));

      JsonNode a = m.answer(1);
      assertThat(a.path("batch").asLong()).isEqualTo(1);
      assertThat(a.path("stateRoot").asText())
          .isEqualTo(tree.roots(1).stateRoot().toBigInteger().toString());
      JsonNode p = a.path("proof");
      assertThat(p.path("collateral").asLong()).isEqualTo(500);
      assertThat(p.path("nonce").asLong()).isEqualTo(3);
      assertThat(p.path("l1Owner").asText()).isEqualTo(ALICE.toHex());
      assertThat(p.path("accountSiblings")).hasSize(24);
      // the same siblings as the tree's own proof at version 1
      try (StateView v = tree.view(1)) {
        AccountProof own = v.accountProof(1);
        for (int i = 0; i < 24; i++) {
          assertThat(new BigInteger(p.path("accountSiblings").get(i).asText()))
              .isEqualTo(own.proof().siblings().get(i).toBigInteger());
        }
        assertThat(new BigInteger(p.path("fillsRoot").asText()))
            .isEqualTo(own.fillsRoot().toBigInteger());
      }

      refused(m, 2, RpcError.ESCAPE_UNSUPPORTED, "holds positions");
      refused(m, 3, RpcError.NOT_IN_VERIFIED_STATE, "does not exist in the state of batch 1");

      // once batch 2 is on L1, the answer follows it
      batches.put(batches.get(2).orElseThrow().committed("0x" + "cd".repeat(32), 20));
      assertThat(m.answer(1).path("proof").path("collateral").asLong()).isEqualTo(100);
      assertThat(EscapeProofMethod.lastVerified(batches).orElseThrow().number()).isEqualTo(2);
    }
  }

  @Test
  void aBatchWhoseRootIsNotTheTreesIsAnInternalError() throws Exception {
    try (RollupStateStore tree = RollupStateStore.open(dir.resolve("state"));
        BatchStore batches = BatchStore.open(dir.resolve("batches"))) {
      try (StateBatch b = tree.beginBatch()) {
        b.setAccount(1, account(500));
        b.commit();
      }
      byte[] commitment = new byte[100]; // new root 0: not the tree's
      batches.put(
          BatchRecord.sealed(1, 1, 1, 1, 0, new byte[32], new byte[1], commitment)
              .committed("0x" + "ab".repeat(32), 5));
      EscapeProofMethod m = new EscapeProofMethod(batches, tree, Runnable::run);
      assertThatThrownBy(() -> m.answer(1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("does not have batch 1's new root");
    }
  }

  private static void refused(EscapeProofMethod m, int account, RpcError error, String message) {
    assertThatThrownBy(() -> m.answer(account))
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.error()).isSameAs(error))
        .hasMessageContaining(message);
  }
}
