package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.MerkleProof;
import io.zkperp.state.smt.MerkleEngine;
import io.zkperp.state.smt.NodeKeys;
import io.zkperp.state.smt.NodeSource;

/** Proof construction shared by {@link StateView} (a version) and {@link StateBatch} (pending). */
final class StateQueries {
  private StateQueries() {}

  static Fr subtreeRoot(NodeSource nodes, TreeKind kind, int account) {
    long[] r = new long[4];
    MerkleEngine.read(nodes, NodeKeys.key(kind.code(), account, kind.depth(), 0), r, 0);
    return Fr.fromMontgomery(r, 0);
  }

  static AccountProof accountProof(
      RecordSource records, NodeSource nodes, StateRoots roots, int id) {
    Checks.account(id);
    MerkleProof proof =
        MerkleEngine.proof(nodes, TreeKind.ACCOUNTS.code(), TreeKind.ACCOUNTS.depth(), 0, id);
    return new AccountProof(
        id,
        records.account(id),
        subtreeRoot(nodes, TreeKind.POSITIONS, id),
        subtreeRoot(nodes, TreeKind.FILLS, id),
        proof,
        roots);
  }

  static PositionProof positionProof(
      RecordSource records, NodeSource nodes, StateRoots roots, int account, int market) {
    Checks.account(account);
    Checks.market(market);
    MerkleProof proof =
        MerkleEngine.proof(
            nodes, TreeKind.POSITIONS.code(), TreeKind.POSITIONS.depth(), account, market);
    return new PositionProof(
        market,
        records.position(account, market),
        proof,
        accountProof(records, nodes, roots, account));
  }

  static FillProof fillProof(
      RecordSource records, NodeSource nodes, StateRoots roots, int account, int slot) {
    Checks.account(account);
    Checks.slot(slot);
    MerkleProof proof =
        MerkleEngine.proof(nodes, TreeKind.FILLS.code(), TreeKind.FILLS.depth(), account, slot);
    return new FillProof(
        slot, records.fill(account, slot), proof, accountProof(records, nodes, roots, account));
  }

  static MarketProof marketProof(
      RecordSource records, NodeSource nodes, StateRoots roots, int market) {
    Checks.market(market);
    MerkleProof proof =
        MerkleEngine.proof(nodes, TreeKind.MARKETS.code(), TreeKind.MARKETS.depth(), 0, market);
    return new MarketProof(market, records.market(market), proof, roots);
  }

  static GlobalProof globalProof(RecordSource records, StateRoots roots) {
    return new GlobalProof(records.global(), roots);
  }
}
