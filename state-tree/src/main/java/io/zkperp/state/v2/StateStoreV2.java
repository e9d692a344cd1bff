package io.zkperp.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.ChunkWriter;
import io.zkperp.state.LayoutMetadata;
import io.zkperp.state.StateError;
import io.zkperp.state.StateLayoutMismatchException;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.StateStoreOptions;
import io.zkperp.state.kv.Bytes;
import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvSnapshot;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.kv.KvTransaction;
import io.zkperp.state.kv.VersionedKeys;
import io.zkperp.state.smt.HashWorkers;
import io.zkperp.state.smt.MerkleEngine;
import io.zkperp.state.smt.NodeKeys;
import io.zkperp.state.smt.NodeOverlay;
import io.zkperp.state.smt.NodeSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The rollup state in layout v2 ({@code docs/state-layout.md} §9) on RocksDB: the depth-24 accounts
 * tree of account leaves v2 (packed position lists; the insurance fund at 2^24 − 1 from genesis),
 * one depth-12 fills tree per account, the depth-6 markets tree of market leaves v2 and the global
 * leaf v2, under {@code H(TAG_STATE_V2, accountsRoot, marketsRoot, globalLeaf)}.
 *
 * <p>It uses the same machinery as the layout-v1 {@code RollupStateStore}: the generic
 * sparse-Merkle engine ({@link MerkleEngine}, node keys {@link NodeKeys}), typed RocksDB columns,
 * one fsynced write per batch, undo history per changed key ({@link VersionedKeys}) for reads of
 * the last K versions and rollback, and chunked version logs ({@link ChunkWriter}). The database
 * records {@code layout.version = 2}; opening a v1 database (or a v1 store opening this one) fails
 * with {@link StateLayoutMismatchException} naming both versions, writing nothing.
 *
 * <p>Two update modes ({@link StateBatchV2}): batched (leaves hashed when roots are asked for or at
 * commit) and witness mode (each update hashed at once, returning the paths a step circuit opens).
 * There are no state diffs yet. Nothing in the node uses this store yet.
 *
 * <p>Threading: one writer thread owns {@link #beginBatch}, every {@link StateBatchV2} method,
 * {@link #rollback} and {@link #close}. {@link #version}, {@link #roots()} and {@link #view} may be
 * called from any thread; a view is confined to one thread at a time.
 */
public final class StateStoreV2 implements AutoCloseable {
  private static final int ACCOUNTS_COLUMN_LIMIT = 1 << LayoutV2.ACCOUNTS_DEPTH;

  private final Path dir;
  private final StateStoreOptions options;
  private final KvStore kv;
  private final HashWorkers hashers;
  private final MerkleEngine engine;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Set<StateViewV2> views = ConcurrentHashMap.newKeySet();
  private volatile long version;
  private volatile long oldest;
  private volatile StateRootsV2 roots;
  private volatile boolean closed;
  private StateBatchV2 openBatch;

  private StateStoreV2(Path dir, KvStore kv, StateStoreOptions options) {
    this.dir = dir;
    this.kv = kv;
    this.options = options;
    this.hashers = new HashWorkers(options.hashThreads());
    this.engine = new MerkleEngine(SchemaV2.TREES, latestNodes(kv), hashers);
    try {
      loadHead();
      StateRootsV2 stored =
          StateRootsV2.of(
              engine.root(SchemaV2.ACCOUNTS_TREE, 0),
              engine.root(SchemaV2.MARKETS_TREE, 0),
              latestGlobal().leafHash());
      if (!stored.equals(roots)) {
        throw new StateStoreException(
            StateError.CORRUPTED_DATA,
            "the stored trees of version "
                + version
                + " hash to "
                + stored
                + ", recorded "
                + roots);
      }
    } catch (RuntimeException e) {
      hashers.close();
      throw e;
    }
  }

  /**
   * Opens or creates a layout-v2 database. A new one is at version 0, genesis: the insurance fund
   * at account 2^24 − 1, no market, {@link GlobalV2#GENESIS}. Writer thread.
   *
   * @param dir database directory
   * @param options kept versions, RocksDB sizes, hash threads (the upper-level cache height is not
   *     used by this store)
   * @return the store
   * @throws StateLayoutMismatchException the database has another layout version or depths (nothing
   *     written)
   * @throws StateStoreException CORRUPTED_DATA, STORAGE_FAILURE
   */
  public static StateStoreV2 open(Path dir, StateStoreOptions options) {
    return LayoutMetadata.openStore(
        dir,
        options,
        SchemaV2.ALL,
        LayoutV2.VERSION,
        SchemaV2.DEPTHS,
        StateStoreV2::writeGenesis,
        kv -> new StateStoreV2(dir, kv, options));
  }

  private static NodeSource latestNodes(KvStore kv) {
    return (key, dst, off) -> {
      byte[] b = kv.getRaw(SchemaV2.NODES, Bytes.ofLong(key));
      if (b == null) {
        return false;
      }
      VersionedKeys.decodeNode(key, b, b.length, dst, off);
      return true;
    };
  }

  private static void writeGenesis(KvStore kv) {
    Changes genesis = new Changes();
    genesis.accounts.put(LayoutV2.INSURANCE_FUND_ACCOUNT, AccountV2.insuranceFundAtGenesis());
    genesis.global = GlobalV2.GENESIS;
    try (HashWorkers h = new HashWorkers(1)) {
      MerkleEngine e = new MerkleEngine(SchemaV2.TREES, NodeSource.EMPTY, h);
      StateRootsV2 r = hash(e, genesis, kv);
      try (KvTransaction tx = kv.beginTransaction()) {
        LayoutMetadata.writeMarker(tx, LayoutV2.VERSION, SchemaV2.DEPTHS);
        write(tx, kv, e, genesis, 0, null);
        tx.put(SchemaV2.ROOTS, 0L, r);
        tx.commit();
      }
    }
  }

  private void loadHead() {
    this.version = LayoutMetadata.meta(kv, SchemaV2.META_VERSION);
    this.oldest = LayoutMetadata.meta(kv, SchemaV2.META_OLDEST);
    if (oldest < 0 || oldest > version) {
      throw new StateStoreException(
          StateError.CORRUPTED_DATA, "metadata: oldest " + oldest + " > version " + version);
    }
    this.roots =
        kv.get(SchemaV2.ROOTS, version)
            .orElseThrow(
                () ->
                    new StateStoreException(
                        StateError.CORRUPTED_DATA, "no roots for current version " + version));
  }

  // ------------------------------------------------------------------ changes, hashing, writing

  /** The records one batch sets. */
  static final class Changes {
    final TreeMap<Long, AccountV2> accounts = new TreeMap<>();
    final TreeMap<Long, FillV2> fills = new TreeMap<>(); // key: account << 32 | slot
    final TreeMap<Integer, MarketV2> markets = new TreeMap<>();
    GlobalV2 global;
  }

  /** Sets every changed leaf in {@code e} (cleared first) and returns the resulting roots. */
  static StateRootsV2 hash(MerkleEngine e, Changes c, KvStore kv) {
    e.clear();
    long[] limbs = new long[4];
    TreeSet<Long> touched = new TreeSet<>(c.accounts.keySet());
    for (Map.Entry<Long, FillV2> f : c.fills.entrySet()) {
      long account = f.getKey() >>> 32;
      touched.add(account);
      f.getValue().leafHash().toMontgomery(limbs, 0);
      e.setLeaf(SchemaV2.FILLS_TREE, (int) account, f.getKey() & 0xffffffffL, limbs, 0);
    }
    e.flush(SchemaV2.FILLS_TREE);
    for (long id : touched) {
      AccountV2 a = c.accounts.get(id);
      if (a == null) {
        a = kv.get(SchemaV2.ACCOUNTS, id).orElseThrow(); // checked when the fill was set
      }
      a.leafHash(e.root(SchemaV2.FILLS_TREE, (int) id)).toMontgomery(limbs, 0);
      e.setLeaf(SchemaV2.ACCOUNTS_TREE, 0, id, limbs, 0);
    }
    for (Map.Entry<Integer, MarketV2> m : c.markets.entrySet()) {
      m.getValue().leafHash().toMontgomery(limbs, 0);
      e.setLeaf(SchemaV2.MARKETS_TREE, 0, m.getKey(), limbs, 0);
    }
    GlobalV2 g = c.global != null ? c.global : kv.get(SchemaV2.GLOBAL, 0L).orElseThrow();
    return StateRootsV2.of(
        e.root(SchemaV2.ACCOUNTS_TREE, 0), e.root(SchemaV2.MARKETS_TREE, 0), g.leafHash());
  }

  /**
   * Writes the engine's nodes and the changed records into {@code tx}, with one undo entry and log
   * entry per key that changes, unless {@code log} is null (genesis).
   */
  static void write(
      KvTransaction tx, KvStore kv, MerkleEngine e, Changes c, long v, ChunkWriter log) {
    NodeOverlay ov = e.overlay();
    long[] limbs = new long[4];
    for (long key : ov.sortedKeys()) {
      ov.get(key, limbs, 0);
      byte[] now =
          MerkleEngine.isEmptyNode(NodeKeys.height(key), limbs, 0)
              ? null
              : Fr.fromMontgomery(limbs, 0).toBytes();
      put(tx, kv, SchemaV2.NODES, key, now, v, log);
    }
    for (Map.Entry<Long, AccountV2> a : c.accounts.entrySet()) {
      put(tx, kv, SchemaV2.ACCOUNTS, a.getKey(), RecordCodecV2.account(a.getValue()), v, log);
    }
    for (Map.Entry<Long, FillV2> f : c.fills.entrySet()) {
      put(tx, kv, SchemaV2.FILLS, f.getKey(), RecordCodecV2.fill(f.getValue()), v, log);
    }
    for (Map.Entry<Integer, MarketV2> m : c.markets.entrySet()) {
      put(tx, kv, SchemaV2.MARKETS, m.getKey(), RecordCodecV2.market(m.getValue()), v, log);
    }
    if (c.global != null) {
      put(tx, kv, SchemaV2.GLOBAL, 0L, RecordCodecV2.global(c.global), v, log);
    }
  }

  private static void put(
      KvTransaction tx,
      KvStore kv,
      KvColumn<Long, ?> column,
      long key,
      byte[] now,
      long v,
      ChunkWriter log) {
    byte[] k = Bytes.ofLong(key);
    byte[] before = kv.getRaw(column, k);
    if (Arrays.equals(before, now)) {
      return;
    }
    if (log != null) {
      tx.putRaw(
          SchemaV2.HISTORY,
          VersionedKeys.historyKey(column.id(), key, v),
          VersionedKeys.undoEntry(before));
      log.addKey(column.id(), key);
    }
    if (now == null) {
      tx.deleteRaw(column, k);
    } else {
      tx.putRaw(column, k, now);
    }
  }

  // ------------------------------------------------------------------ state

  /**
   * The database directory. Any thread.
   *
   * @return the directory
   */
  public Path directory() {
    return dir;
  }

  /**
   * The latest committed version (0 = genesis). Any thread.
   *
   * @return the version
   */
  public long version() {
    return version;
  }

  /**
   * The oldest version still readable and reachable by rollback. Any thread.
   *
   * @return the oldest kept version
   */
  public long oldestVersion() {
    return oldest;
  }

  /**
   * The roots of the latest committed version. Any thread.
   *
   * @return the roots
   */
  public StateRootsV2 roots() {
    return roots;
  }

  /**
   * A snapshot view of the latest committed version. Any thread.
   *
   * @return the view (close it)
   */
  public StateViewV2 view() {
    return view(Long.MIN_VALUE);
  }

  /**
   * A snapshot view of a kept version. Any thread.
   *
   * @param v the version, in [{@link #oldestVersion}, {@link #version}]
   * @return the view (close it)
   * @throws StateStoreException VERSION_NOT_KEPT, STORE_CLOSED
   */
  public StateViewV2 view(long v) {
    lock.readLock().lock();
    try {
      checkOpen();
      KvSnapshot s = kv.snapshot();
      try {
        long current = s.get(SchemaV2.META, SchemaV2.META_VERSION).orElseThrow();
        long first = s.get(SchemaV2.META, SchemaV2.META_OLDEST).orElseThrow();
        long at = v == Long.MIN_VALUE ? current : v;
        LayoutMetadata.checkKept(at, first, current);
        StateViewV2 view = new StateViewV2(this, s, at, at == current);
        views.add(view);
        return view;
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  void released(StateViewV2 view) {
    views.remove(view);
  }

  private void checkOpen() {
    if (closed) {
      throw new StateStoreException(
          StateError.STORE_CLOSED, "the state store at " + dir + " is closed");
    }
  }

  static void checkAccount(long id) {
    if (id < 0 || id >= ACCOUNTS_COLUMN_LIMIT) {
      throw new StateStoreException(
          StateError.INDEX_OUT_OF_RANGE, "account " + id + " is not in [0, 2^24)");
    }
  }

  static void checkSlot(int slot) {
    if (slot < 0 || slot >= 1 << LayoutV2.FILLS_DEPTH) {
      throw new StateStoreException(
          StateError.INDEX_OUT_OF_RANGE, "fill slot " + slot + " is not in [0, 2^12)");
    }
  }

  static void checkMarket(int id) {
    if (id < 0 || id >= 1 << LayoutV2.MARKETS_DEPTH) {
      throw new StateStoreException(
          StateError.INDEX_OUT_OF_RANGE, "market " + id + " is not in [0, 64)");
    }
  }

  // ------------------------------------------------------------------ writer

  /**
   * Starts the batch of version {@code version() + 1}. Writer thread.
   *
   * @return the batch
   * @throws StateStoreException BATCH_ALREADY_OPEN, STORE_CLOSED
   */
  public StateBatchV2 beginBatch() {
    checkOpen();
    if (openBatch != null) {
      throw new StateStoreException(
          StateError.BATCH_ALREADY_OPEN,
          "the batch of version " + (version + 1) + " is still open");
    }
    openBatch = new StateBatchV2(this, kv, version + 1);
    return openBatch;
  }

  MerkleEngine engine() {
    return engine;
  }

  StateRootsV2 hashBatch(Changes c) {
    return hash(engine, c, kv);
  }

  void ended(StateBatchV2 batch) {
    if (openBatch == batch) {
      openBatch = null;
      engine.clear();
    }
  }

  /** Writes a batch as the next version in one fsynced RocksDB write. */
  StateRootsV2 commit(StateBatchV2 batch, Changes c) {
    checkOpen();
    long v = version + 1;
    StateRootsV2 r = hash(engine, c, kv);
    long newOldest = Math.max(oldest, v - options.keptVersions() + 1);
    try (KvTransaction tx = kv.beginTransaction()) {
      ChunkWriter log = new ChunkWriter(tx, SchemaV2.VERSION_LOG, v);
      write(tx, kv, engine, c, v, log);
      log.finish();
      tx.put(SchemaV2.ROOTS, v, r);
      tx.put(SchemaV2.META, SchemaV2.META_VERSION, v);
      for (long x = oldest + 1; x <= newOldest; x++) {
        forgetUndo(tx, x);
      }
      for (long x = oldest; x < newOldest; x++) {
        tx.delete(SchemaV2.ROOTS, x);
      }
      tx.put(SchemaV2.META, SchemaV2.META_OLDEST, newOldest);
      tx.commit();
    }
    version = v;
    oldest = newOldest;
    roots = r;
    ended(batch);
    return r;
  }

  /** Deletes the undo entries and log of version x. */
  private void forgetUndo(KvTransaction tx, long x) {
    forEachLogged(
        x,
        (col, key, chunk) -> {
          tx.deleteRaw(SchemaV2.HISTORY, VersionedKeys.historyKey(col, key, x));
          tx.deleteRaw(SchemaV2.VERSION_LOG, chunk);
        });
  }

  @FunctionalInterface
  private interface LoggedKey {
    void accept(int column, long key, byte[] chunkKey);
  }

  private void forEachLogged(long x, LoggedKey visitor) {
    kv.scan(
        SchemaV2.VERSION_LOG,
        VersionedKeys.chunkKey(x, 0),
        VersionedKeys.chunkKey(x + 1, 0),
        (k, val) -> {
          if (val.length % 9 != 0) {
            throw new StateStoreException(
                StateError.CORRUPTED_DATA,
                "column 'version-log' key " + Bytes.hex(k) + " holds " + val.length + " bytes");
          }
          for (int i = 0; i < val.length; i += 9) {
            visitor.accept(val[i] & 0xff, Bytes.getLong(val, i + 1), k);
          }
          return true;
        });
  }

  /**
   * Returns the store to a kept version in one atomic write: every key changed by the later
   * versions gets its value at {@code target} back, and their undo entries, logs and roots are
   * deleted; the next batch commits as {@code target + 1}. Writer thread, no batch open.
   *
   * @param target a kept version
   * @throws StateStoreException VERSION_NOT_KEPT, BATCH_ALREADY_OPEN, CORRUPTED_DATA (nothing
   *     changed), STORE_CLOSED
   */
  public void rollback(long target) {
    checkOpen();
    if (openBatch != null) {
      throw new StateStoreException(
          StateError.BATCH_ALREADY_OPEN,
          "cannot roll back while the batch of version " + (version + 1) + " is open");
    }
    LayoutMetadata.checkKept(target, oldest, version);
    // key (column id, key) -> the value at target: the undo entry of the smallest later version
    Map<Integer, Map<Long, byte[]>> restore = new HashMap<>();
    try (KvTransaction tx = kv.beginTransaction()) {
      for (long x = version; x > target; x--) {
        final long ver = x;
        forEachLogged(
            x,
            (col, key, chunk) -> {
              if (SchemaV2.versioned(col) == null) {
                throw new StateStoreException(
                    StateError.CORRUPTED_DATA, "version " + ver + " logs unknown column id " + col);
              }
              byte[] hk = VersionedKeys.historyKey(col, key, ver);
              byte[] hv = kv.getRaw(SchemaV2.HISTORY, hk);
              if (hv == null) {
                throw new StateStoreException(
                    StateError.CORRUPTED_DATA,
                    "no undo entry " + Bytes.hex(hk) + " for a logged key");
              }
              restore
                  .computeIfAbsent(col, i -> new HashMap<>())
                  .put(key, VersionedKeys.undoValue(hk, hv));
              tx.deleteRaw(SchemaV2.HISTORY, hk);
              tx.deleteRaw(SchemaV2.VERSION_LOG, chunk);
            });
        tx.delete(SchemaV2.ROOTS, x);
      }
      for (Map.Entry<Integer, Map<Long, byte[]>> col : restore.entrySet()) {
        KvColumn<Long, ?> column = SchemaV2.versioned(col.getKey());
        for (Map.Entry<Long, byte[]> e : col.getValue().entrySet()) {
          if (e.getValue() == null) {
            tx.deleteRaw(column, Bytes.ofLong(e.getKey()));
          } else {
            tx.putRaw(column, Bytes.ofLong(e.getKey()), e.getValue());
          }
        }
      }
      tx.put(SchemaV2.META, SchemaV2.META_VERSION, target);
      tx.commit();
    }
    engine.clear();
    loadHead();
  }

  GlobalV2 latestGlobal() {
    return kv.get(SchemaV2.GLOBAL, 0L)
        .orElseThrow(
            () -> new StateStoreException(StateError.CORRUPTED_DATA, "column 'global' is empty"));
  }

  /** Closes the store, its open views and its hash threads. Writer thread; idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (StateViewV2 v : views.toArray(new StateViewV2[0])) {
        v.close();
      }
      hashers.close();
      kv.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
