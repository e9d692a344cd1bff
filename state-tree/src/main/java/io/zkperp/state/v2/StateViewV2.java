package io.zkperp.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.MerkleProof;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.StateError;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.kv.Bytes;
import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvSnapshot;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.kv.VersionedKeys;
import io.zkperp.state.smt.MerkleEngine;
import io.zkperp.state.smt.NodeSource;

/**
 * A read-only snapshot of one kept version of a {@link StateStoreV2}: records, roots and proofs.
 * Later commits, rollbacks and pruning do not change what it sees. Reads at an older version look
 * up each key's undo history (the value before the next version that changed it).
 *
 * <p>Confined to one thread at a time; close it when done ({@link StateStoreV2#close} closes the
 * remaining ones).
 */
public final class StateViewV2 implements AutoCloseable {
  private final StateStoreV2 store;
  private final KvSnapshot snapshot;
  private final long version;
  private final boolean head;
  private final StateRootsV2 roots;
  private final NodeSource nodes = this::readNode;
  private boolean closed;

  StateViewV2(StateStoreV2 store, KvSnapshot snapshot, long version, boolean head) {
    this.store = store;
    this.snapshot = snapshot;
    this.version = version;
    this.head = head;
    this.roots =
        snapshot
            .get(SchemaV2.ROOTS, version)
            .orElseThrow(
                () ->
                    new StateStoreException(
                        StateError.CORRUPTED_DATA,
                        "column 'roots' has no entry for kept version " + version));
  }

  /**
   * The version this view reads.
   *
   * @return the version
   */
  public long version() {
    return version;
  }

  /**
   * The roots of this version.
   *
   * @return the roots
   */
  public StateRootsV2 roots() {
    return roots;
  }

  private byte[] bytes(KvColumn<Long, ?> column, long key) {
    checkOpen();
    return VersionedKeys.readAt(snapshot, SchemaV2.HISTORY, column, key, version, head);
  }

  private <V> V record(KvColumn<Long, V> column, long key) {
    byte[] b = bytes(column, key);
    return b == null ? null : KvStore.decode(column, Bytes.ofLong(key), b);
  }

  private boolean readNode(long key, long[] dst, int off) {
    byte[] b = bytes(SchemaV2.NODES, key);
    if (b == null) {
      return false;
    }
    VersionedKeys.decodeNode(key, b, b.length, dst, off);
    return true;
  }

  /**
   * An account.
   *
   * @param id account id in [0, 2^24)
   * @return the record, or null if the slot is empty
   * @throws StateStoreException INDEX_OUT_OF_RANGE
   */
  public AccountV2 account(long id) {
    StateStoreV2.checkAccount(id);
    return record(SchemaV2.ACCOUNTS, id);
  }

  /**
   * A fill slot of an account.
   *
   * @param account account id in [0, 2^24)
   * @param slot slot in [0, 2^12)
   * @return the record, or null if the slot is empty
   * @throws StateStoreException INDEX_OUT_OF_RANGE
   */
  public FillV2 fill(long account, int slot) {
    StateStoreV2.checkAccount(account);
    StateStoreV2.checkSlot(slot);
    return record(SchemaV2.FILLS, SchemaV2.fillKey(account, slot));
  }

  /**
   * A market.
   *
   * @param id market id in [0, 64)
   * @return the record, or null if not listed
   * @throws StateStoreException INDEX_OUT_OF_RANGE
   */
  public MarketV2 market(int id) {
    StateStoreV2.checkMarket(id);
    return record(SchemaV2.MARKETS, id);
  }

  /**
   * The global record.
   *
   * @return the global leaf's content
   */
  public GlobalV2 global() {
    GlobalV2 g = record(SchemaV2.GLOBAL, 0L);
    if (g == null) {
      throw new StateStoreException(StateError.CORRUPTED_DATA, "column 'global' is empty");
    }
    return g;
  }

  /**
   * The root of an account's fills tree (Z₁₂ if it has no fill).
   *
   * @param account account id
   * @return the root
   */
  public Fr fillsRoot(long account) {
    StateStoreV2.checkAccount(account);
    long[] r = new long[4];
    MerkleEngine.read(
        nodes,
        io.zkperp.state.smt.NodeKeys.key(
            SchemaV2.FILLS_TREE, (int) account, LayoutV2.FILLS_DEPTH, 0),
        r,
        0);
    return Fr.fromMontgomery(r, 0);
  }

  /**
   * The proof of an account (or of its empty slot).
   *
   * @param id account id in [0, 2^24)
   * @return the proof against {@code roots().stateRoot()}
   */
  public ProofsV2.AccountProof accountProof(long id) {
    AccountV2 a = account(id);
    MerkleProof path =
        MerkleEngine.proof(nodes, SchemaV2.ACCOUNTS_TREE, LayoutV2.ACCOUNTS_DEPTH, 0, id);
    return new ProofsV2.AccountProof(
        id, a, fillsRoot(id), path, roots.marketsRoot(), roots.globalLeaf());
  }

  /**
   * The proof of a fill slot of an existing account.
   *
   * @param account account id
   * @param slot slot in [0, 2^12)
   * @return the proof against {@code roots().stateRoot()}
   * @throws StateStoreException INDEX_OUT_OF_RANGE, ACCOUNT_NOT_FOUND
   */
  public ProofsV2.FillProof fillProof(long account, int slot) {
    FillV2 f = fill(account, slot);
    ProofsV2.AccountProof ap = accountProof(account);
    if (ap.account() == null) {
      throw new StateStoreException(
          StateError.ACCOUNT_NOT_FOUND,
          "account " + account + " does not exist at version " + version);
    }
    MerkleProof path =
        MerkleEngine.proof(nodes, SchemaV2.FILLS_TREE, LayoutV2.FILLS_DEPTH, (int) account, slot);
    return new ProofsV2.FillProof(slot, f, path, ap);
  }

  /**
   * The proof of a market (or of its empty slot).
   *
   * @param id market id in [0, 64)
   * @return the proof against {@code roots().stateRoot()}
   */
  public ProofsV2.MarketProof marketProof(int id) {
    MarketV2 m = market(id);
    MerkleProof path =
        MerkleEngine.proof(nodes, SchemaV2.MARKETS_TREE, LayoutV2.MARKETS_DEPTH, 0, id);
    return new ProofsV2.MarketProof(id, m, path, roots.accountsRoot(), roots.globalLeaf());
  }

  /**
   * The proof of the global leaf.
   *
   * @return the proof against {@code roots().stateRoot()}
   */
  public ProofsV2.GlobalProof globalProof() {
    return new ProofsV2.GlobalProof(global(), roots.accountsRoot(), roots.marketsRoot());
  }

  private void checkOpen() {
    if (closed) {
      throw new StateStoreException(StateError.STORE_CLOSED, "this view is closed");
    }
  }

  /** Releases the snapshot. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      snapshot.close();
      store.released(this);
    }
  }
}
