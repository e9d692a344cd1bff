package io.zkperp.node.v3;

import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStore;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.state.StateError;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.v2.ProofsV2;
import io.zkperp.state.v2.StateStoreV2;
import io.zkperp.state.v2.StateViewV2;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds escape proofs for {@code ZkPerpRollupV3.escape} from a format v3 node's stores, in the
 * state of the <b>last batch committed on L1</b>, not the node's newer tree: the newest batch whose
 * {@link BatchRecord} is {@code COMMITTED} or {@code FINAL} (batches reach L1 strictly in order);
 * its {@link V3BatchRecord.Resume#treeVersion()} in the {@link V3BatchStore} is the layout v2 tree
 * version holding exactly its commands (the tree is committed once per command, not per batch),
 * read with {@link StateStoreV2#view(long)} — so the tree must still keep that version (the node
 * keeps {@code RollupNode.KEPT_VERSIONS} command versions). Before anything is answered the
 * version's root is checked against the root the batch committed (R_S of its commitment). Reads
 * only; any thread (the store's views are snapshots).
 */
public final class V3EscapeProofs {
  private final BatchStore batches;
  private final V3BatchStore settled;
  private final StateStoreV2 tree;

  /**
   * The builder.
   *
   * @param batches the node's batch store (statuses: which batch L1 has last)
   * @param settled the v3 settlement's batch records (each batch's tree version)
   * @param tree the layout v2 tree
   */
  public V3EscapeProofs(BatchStore batches, V3BatchStore settled, StateStoreV2 tree) {
    this.batches = batches;
    this.settled = settled;
    this.tree = tree;
  }

  /**
   * The last batch committed on L1 according to the batch store (the newest {@code COMMITTED} or
   * {@code FINAL}, as for format v2: {@link io.zkperp.node.rpc.EscapeProofMethod#lastVerified}).
   * Any thread.
   *
   * @return the batch, or empty while L1 holds only the genesis state
   * @throws IOException if the store cannot be read
   */
  public Optional<BatchRecord> lastCommitted() throws IOException {
    return io.zkperp.node.rpc.EscapeProofMethod.lastVerified(batches);
  }

  /**
   * An account's escape proof in the state of the last batch committed on L1.
   *
   * @param accountId the account, 0 … 2^24 − 1
   * @return the proof, checked against the batch's committed root
   * @throws EscapeProofRefusedException {@code NO_VERIFIED_BATCH}, {@code UNKNOWN_ACCOUNT}, {@code
   *     INSURANCE_FUND}, {@code STATE_NOT_KEPT}, {@code STORES_DISAGREE} (nothing changed)
   * @throws IOException if a store cannot be read
   * @throws IllegalArgumentException if the id is out of range
   */
  public V3EscapeProof of(long accountId) throws EscapeProofRefusedException, IOException {
    if (accountId < 0 || accountId > LayoutV2.INSURANCE_FUND_ACCOUNT) {
      throw new IllegalArgumentException("account id " + accountId + " is not in [0, 2^24)");
    }
    if (accountId == LayoutV2.INSURANCE_FUND_ACCOUNT) {
      throw new EscapeProofRefusedException(
          EscapeProofRefusedException.Reason.INSURANCE_FUND,
          "the insurance fund (account " + accountId + ") does not escape");
    }
    BatchRecord batch =
        lastCommitted()
            .orElseThrow(
                () ->
                    new EscapeProofRefusedException(
                        EscapeProofRefusedException.Reason.NO_VERIFIED_BATCH,
                        "no batch is committed on L1 yet: account "
                            + accountId
                            + " does not exist in the verified (genesis) state"));
    long n = batch.number();
    V3BatchRecord record =
        settled
            .get(n)
            .orElseThrow(
                () ->
                    new EscapeProofRefusedException(
                        EscapeProofRefusedException.Reason.STORES_DISAGREE,
                        "batch " + n + " is committed but the v3 settlement has no record of it"));
    Fr committed = Fr.fromBigInteger(V3BatchCommit.header(batch.commitment()).newStateRoot);
    if (!committed.equals(record.stateRootAfter())) {
      throw new EscapeProofRefusedException(
          EscapeProofRefusedException.Reason.STORES_DISAGREE,
          "batch " + n + "'s commitment and its v3 settlement record name other roots");
    }
    if (record.resume().stepsBatched() != 0) {
      throw new EscapeProofRefusedException(
          EscapeProofRefusedException.Reason.STATE_NOT_KEPT,
          "batch "
              + n
              + " (last committed on L1) ends inside journal record "
              + record.resume().seq()
              + " after "
              + record.resume().stepsBatched()
              + " of its steps: its state is not a tree version (only whole commands are)");
    }
    long version = record.resume().treeVersion();
    try (StateViewV2 view = tree.view(version)) {
      Fr root = view.roots().stateRoot();
      if (!root.equals(committed)) {
        throw new EscapeProofRefusedException(
            EscapeProofRefusedException.Reason.STORES_DISAGREE,
            "tree version "
                + version
                + " has root "
                + root
                + ", batch "
                + n
                + " committed "
                + committed);
      }
      ProofsV2.AccountProof account = view.accountProof(accountId);
      AccountV2 a = account.account();
      if (a == null) {
        throw new EscapeProofRefusedException(
            EscapeProofRefusedException.Reason.UNKNOWN_ACCOUNT,
            "account "
                + accountId
                + " does not exist in the state of batch "
                + n
                + ", the last committed on L1");
      }
      List<ProofsV2.MarketProof> markets = new ArrayList<>();
      for (PositionEntry e : a.positions().entries()) {
        if (!e.isEmpty()) {
          markets.add(view.marketProof(e.market()));
        }
      }
      V3EscapeProof proof = new V3EscapeProof(n, committed, account, markets);
      if (!proof.verifies(committed)) {
        throw new IllegalStateException(
            "the tree's proof of account " + accountId + " does not verify at version " + version);
      }
      return proof;
    } catch (StateStoreException e) {
      if (e.error() == StateError.VERSION_NOT_KEPT) {
        throw new EscapeProofRefusedException(
            EscapeProofRefusedException.Reason.STATE_NOT_KEPT,
            "the state of batch "
                + n
                + " (last committed on L1, tree version "
                + version
                + ") is no longer kept by this node: "
                + e.getMessage());
      }
      throw e;
    }
  }
}
