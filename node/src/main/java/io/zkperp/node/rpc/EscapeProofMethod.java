package io.zkperp.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.l1.EscapeProofs;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStatus;
import io.zkperp.node.BatchStore;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.state.AccountProof;
import io.zkperp.state.RollupStateStore;
import io.zkperp.state.StateError;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.StateView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@code perp_getEscapeProof}: the argument of the rollup contract's {@code escape} for an account,
 * built by l1-client's {@link EscapeProofs} from the state tree's version of the last batch
 * committed on L1 ({@code COMMITTED} or {@code FINAL}: batch <i>n</i> is the tree's version
 * <i>n</i>, and L1 verified its proof when it accepted the commit). The tree's root at that version
 * is checked against the root the batch committed before anything is answered.
 *
 * <p>Public (no read grant): the verified state is rebuildable by anyone from the data posted on
 * L1, and the contract pays the leaf's L1 owner whoever submits the proof, so a grant would hide
 * nothing and would stop a third party from helping an account out. Reads run on the given executor
 * (RocksDB, not a Netty thread); {@link #handle} from any thread.
 */
public final class EscapeProofMethod extends AccountEscapeHandler {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final BatchStore batches;
  private final RollupStateStore tree;

  /**
   * The handler.
   *
   * @param batches the batch store (which batch L1 verified last)
   * @param tree the state tree (its kept versions)
   * @param executor where the reads run
   */
  public EscapeProofMethod(BatchStore batches, RollupStateStore tree, Executor executor) {
    super(executor);
    this.batches = batches;
    this.tree = tree;
  }

  /**
   * The last batch committed on L1 according to the batch store. Batches reach L1 strictly in
   * order, so it is the newest record in state {@code COMMITTED} or {@code FINAL}. Any thread.
   *
   * @param batches the store
   * @return the batch, or empty while L1 holds only the genesis state
   * @throws IOException if the store cannot be read
   */
  public static Optional<BatchRecord> lastVerified(BatchStore batches) throws IOException {
    Optional<BatchRecord> r = batches.last();
    while (r.isPresent()) {
      BatchStatus s = r.get().status();
      if (s == BatchStatus.COMMITTED || s == BatchStatus.FINAL) {
        return r;
      }
      long n = r.get().number() - 1;
      r = n < 1 ? Optional.empty() : batches.get(n);
    }
    return Optional.empty();
  }

  /** The answer for one account (package-private for tests). */
  @Override
  JsonNode answer(int account) {
    BatchRecord batch;
    try {
      batch =
          lastVerified(batches)
              .orElseThrow(
                  () ->
                      new RpcException(
                          RpcError.NOT_IN_VERIFIED_STATE,
                          "no batch is committed on L1 yet: account "
                              + account
                              + " does not exist in the verified (genesis) state"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long version = batch.number();
    AccountProof proof;
    try (StateView v = tree.view(version)) {
      proof = v.accountProof(account);
    } catch (StateStoreException e) {
      if (e.error() == StateError.VERSION_NOT_KEPT) {
        throw new RpcException(
            RpcError.ESCAPE_UNSUPPORTED,
            "the state of batch "
                + version
                + " (last committed on L1) is no longer kept by this node: "
                + e.getMessage());
      }
      throw e;
    }
    byte[] committedRoot = Arrays.copyOfRange(batch.commitment(), 32, 64);
    Fr root = proof.roots().stateRoot();
    if (!Arrays.equals(committedRoot, root.toBytes())) {
      throw new IllegalStateException(
          "state tree version " + version + " does not have batch " + version + "'s new root");
    }
    if (proof.account() == null) {
      throw new RpcException(
          RpcError.NOT_IN_VERIFIED_STATE,
          "account "
              + account
              + " does not exist in the state of batch "
              + version
              + ", the last committed on L1");
    }
    if (!proof.positionsRoot().equals(StateLayout.emptySubtree(StateLayout.POSITIONS_DEPTH))) {
      throw new RpcException(
          RpcError.ESCAPE_UNSUPPORTED,
          "account "
              + account
              + " holds positions in batch "
              + version
              + "; the rollup's escape takes collateral-only accounts");
    }
    ZkPerpRollup.EscapeProof e = EscapeProofs.of(proof);
    ObjectNode o = JSON.objectNode();
    o.put("account", account);
    o.put("batch", version);
    o.put("stateRoot", root.toBigInteger().toString());
    ObjectNode p = o.putObject("proof");
    p.put("accountId", e.accountId);
    p.put("publicKeyX", e.publicKeyX.toString());
    p.put("publicKeyY", e.publicKeyY.toString());
    p.put("l1Owner", e.l1Owner);
    p.put("nonce", e.nonce);
    p.put("collateral", e.collateral);
    p.put("fillsRoot", e.fillsRoot.toString());
    ArrayNode siblings = p.putArray("accountSiblings");
    for (BigInteger s : e.accountSiblings) {
      siblings.add(s.toString());
    }
    p.put("marketsRoot", e.marketsRoot.toString());
    p.put("globalLeaf", e.globalLeaf.toString());
    return o;
  }
}
