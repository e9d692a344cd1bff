package io.zkperp.state;

import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.Position;
import io.zkperp.state.kv.Bytes;
import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvSnapshot;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.kv.VersionedKeys;
import io.zkperp.state.smt.NodeSource;

/**
 * Reads the state as of one kept version inside a RocksDB snapshot: a key's value at version v is
 * the undo-history entry with the smallest version &gt; v for that key, else the latest value.
 * Confined to one thread.
 */
final class VersionedReader implements NodeSource, RecordSource, AutoCloseable {
  private final KvSnapshot snapshot;
  private final long version;
  private final boolean head;
  private final StateRoots roots;

  /**
   * Takes a snapshot and checks that {@code version} is kept in it; {@link #LATEST} reads the
   * latest version of the snapshot.
   */
  VersionedReader(KvStore kv, long requested) {
    this.snapshot = kv.snapshot();
    try {
      long current = meta(Schema.META_VERSION);
      long oldest = meta(Schema.META_OLDEST);
      long version = requested == LATEST ? current : requested;
      LayoutMetadata.checkKept(version, oldest, current);
      this.version = version;
      this.head = version == current;
      this.roots =
          snapshot
              .get(Schema.ROOTS, version)
              .orElseThrow(
                  () ->
                      new StateStoreException(
                          StateError.CORRUPTED_DATA,
                          "column 'roots' has no entry for kept version " + version));
    } catch (RuntimeException e) {
      snapshot.close();
      throw e;
    }
  }

  /** Requests the latest version of the snapshot. */
  static final long LATEST = Long.MIN_VALUE;

  private long meta(String key) {
    return snapshot
        .get(Schema.META, key)
        .orElseThrow(
            () ->
                new StateStoreException(
                    StateError.CORRUPTED_DATA, "metadata entry '" + key + "' is missing"));
  }

  long version() {
    return version;
  }

  StateRoots roots() {
    return roots;
  }

  KvSnapshot snapshot() {
    return snapshot;
  }

  /** The bytes of a versioned key as of this version, or null if absent. */
  byte[] bytes(KvColumn<Long, ?> column, long key) {
    return VersionedKeys.readAt(snapshot, Schema.HISTORY, column, key, version, head);
  }

  static byte[] historyValue(byte[] key, byte[] v) {
    return VersionedKeys.undoValue(key, v);
  }

  private <V> V record(KvColumn<Long, V> column, long key) {
    byte[] b = bytes(column, key);
    return b == null ? null : KvStore.decode(column, Bytes.ofLong(key), b);
  }

  @Override
  public boolean read(long nodeKey, long[] dst, int off) {
    byte[] b = bytes(Schema.NODES, nodeKey);
    if (b == null) {
      return false;
    }
    LatestNodes.decode(nodeKey, b, b.length, dst, off);
    return true;
  }

  @Override
  public Account account(int id) {
    return record(Schema.ACCOUNTS, Schema.recordKey(LeafKind.ACCOUNT, id, 0));
  }

  @Override
  public Position position(int account, int market) {
    Position p = record(Schema.POSITIONS, Schema.recordKey(LeafKind.POSITION, account, market));
    return p == null ? Position.NONE : p;
  }

  @Override
  public Fill fill(int account, int slot) {
    return record(Schema.FILLS, Schema.recordKey(LeafKind.FILL, account, slot));
  }

  @Override
  public Market market(int id) {
    return record(Schema.MARKETS, Schema.recordKey(LeafKind.MARKET, 0, id));
  }

  @Override
  public GlobalState global() {
    GlobalState g = record(Schema.GLOBAL, 0L);
    return g == null ? GlobalState.GENESIS : g;
  }

  @Override
  public void close() {
    snapshot.close();
  }
}
