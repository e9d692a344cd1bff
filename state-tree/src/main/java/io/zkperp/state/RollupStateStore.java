package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.field.Montgomery;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.state.kv.Bytes;
import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.kv.KvTransaction;
import io.zkperp.state.smt.HashWorkers;
import io.zkperp.state.smt.MerkleEngine;
import io.zkperp.state.smt.NodeKeys;
import io.zkperp.state.smt.NodeOverlay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zkperp rollup state (layout v1) in RocksDB: the accounts tree (depth 24) with a positions
 * tree (depth 6) and a fills tree (depth 16) per account, the markets tree (depth 6) and the global
 * leaf; {@code stateRoot = H(TAG_STATE, accountsRoot, marketsRoot, globalLeaf)}.
 *
 * <p><b>Versions.</b> The version is the number of committed batches (0 = genesis, whose root is
 * {@link io.zkperp.protocol.state.StateRoot#GENESIS}). A {@link StateBatch} collects one L2 batch's
 * updates and commits them as one atomic, fsynced RocksDB write; after a crash the store reopens at
 * exactly one committed version. The last {@link StateStoreOptions#keptVersions() K} versions stay
 * readable ({@link #view(long)}, {@link #diff}) and can be rolled back to ({@link #rollback});
 * older ones are pruned in the commit that moves past them.
 *
 * <p><b>Threading.</b> One writer thread (the sequencer's core) owns the store: it calls {@link
 * #beginBatch}, every {@link StateBatch} method, {@link #rollback} and {@link #close}. Readers of
 * committed versions may run concurrently on any threads: {@link #version()}, {@link #roots()},
 * {@link #roots(long)}, {@link #diff}, {@link #view()} and {@link #view(long)} are thread-safe;
 * each {@link StateView} reads a RocksDB snapshot, so later commits, rollbacks and pruning never
 * change what it sees.
 */
public final class RollupStateStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RollupStateStore.class);

  private static final String[] DEPTH_NAMES = {"accounts", "positions", "fills", "markets"};
  private static final int[] DEPTHS = {
    StateLayout.ACCOUNTS_DEPTH,
    StateLayout.POSITIONS_DEPTH,
    StateLayout.FILLS_DEPTH,
    StateLayout.MARKETS_DEPTH
  };

  private final Path dir;
  private final StateStoreOptions options;
  private final KvStore kv;
  private final HashWorkers hashers;
  private final UpperLevelCache upper;
  private final LatestNodes latest;
  private final MerkleEngine engine;
  private final LeafHasher hasher;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Set<StateView> views = ConcurrentHashMap.newKeySet();
  private volatile long version;
  private volatile long oldest;
  private volatile StateRoots roots;
  private volatile boolean closed;
  private StateBatch openBatch;

  private RollupStateStore(Path dir, KvStore kv, StateStoreOptions options) {
    this.dir = dir;
    this.kv = kv;
    this.options = options;
    this.version = meta(kv, Schema.META_VERSION);
    this.oldest = meta(kv, Schema.META_OLDEST);
    if (oldest > version || oldest < 0) {
      throw new StateStoreException(
          StateError.CORRUPTED_DATA,
          "metadata says oldest kept version " + oldest + " but current version " + version);
    }
    this.roots =
        kv.get(Schema.ROOTS, version)
            .orElseThrow(
                () ->
                    new StateStoreException(
                        StateError.CORRUPTED_DATA,
                        "column 'roots' has no entry for the current version " + version));
    this.hashers = new HashWorkers(options.hashThreads());
    try {
      this.upper = new UpperLevelCache(options.upperCacheHeight());
      upper.load(kv);
      this.latest = new LatestNodes(kv, upper);
      this.engine =
          new MerkleEngine(
              List.of(
                  TreeKind.ACCOUNTS.spec(),
                  TreeKind.POSITIONS.spec(),
                  TreeKind.FILLS.spec(),
                  TreeKind.MARKETS.spec()),
              latest,
              hashers);
      this.hasher = new LeafHasher(hashers);
      checkRoots();
    } catch (RuntimeException e) {
      hashers.close();
      throw e;
    }
  }

  /**
   * Opens the store in a directory, creating a genesis database (version 0) if the directory holds
   * none. An existing database must record this build's layout version and tree depths; it is
   * checked read-only first, so a mismatch writes nothing.
   *
   * @param dir database directory
   * @param options options
   * @return the store, at its latest committed version
   * @throws StateLayoutMismatchException if the database has another layout version or depths
   * @throws StateStoreException CORRUPTED_DATA if its metadata or roots are missing or malformed,
   *     STORAGE_FAILURE if RocksDB cannot open it
   */
  public static RollupStateStore open(Path dir, StateStoreOptions options) {
    RollupStateStore store =
        LayoutMetadata.openStore(
            dir,
            options,
            Schema.ALL,
            StateLayout.VERSION,
            depths(),
            RollupStateStore::initialize,
            kv -> new RollupStateStore(dir, kv, options));
    LOG.debug("opened state store {} at version {}", dir, store.version);
    return store;
  }

  /**
   * Opens with {@link StateStoreOptions#DEFAULT}.
   *
   * @param dir database directory
   * @return the store
   */
  public static RollupStateStore open(Path dir) {
    return open(dir, StateStoreOptions.DEFAULT);
  }

  private static Map<String, Long> depths() {
    Map<String, Long> d = new LinkedHashMap<>();
    for (int i = 0; i < DEPTH_NAMES.length; i++) {
      d.put("depth." + DEPTH_NAMES[i], (long) DEPTHS[i]);
    }
    return d;
  }

  private static long meta(KvStore kv, String key) {
    return LayoutMetadata.meta(kv, key);
  }

  private static void initialize(KvStore kv) {
    try (KvTransaction tx = kv.beginTransaction()) {
      LayoutMetadata.writeMarker(tx, StateLayout.VERSION, depths());
      tx.put(Schema.ROOTS, 0L, StateRoots.GENESIS);
      tx.put(Schema.GLOBAL, 0L, GlobalState.GENESIS);
      tx.commit();
    }
    LOG.info("created genesis state database in {}", kv.directory());
  }

  /** Checks that the stored tree roots and global leaf hash to the recorded roots. */
  private void checkRoots() {
    long[] r = new long[4];
    engine.root(TreeKind.ACCOUNTS.code(), 0, r, 0);
    Fr accounts = Fr.fromMontgomery(r, 0);
    engine.root(TreeKind.MARKETS.code(), 0, r, 0);
    Fr markets = Fr.fromMontgomery(r, 0);
    GlobalState global = kv.get(Schema.GLOBAL, 0L).orElse(GlobalState.GENESIS);
    if (!accounts.equals(roots.accountsRoot())
        || !markets.equals(roots.marketsRoot())
        || !global.leafHash().equals(roots.globalLeaf())
        || !roots.isConsistent()) {
      throw new StateStoreException(
          StateError.CORRUPTED_DATA,
          "the stored trees of version "
              + version
              + " do not hash to its recorded roots (accounts "
              + accounts
              + ", markets "
              + markets
              + ", recorded "
              + roots
              + ")");
    }
  }

  // ---------------------------------------------------------------- state

  /**
   * The database directory.
   *
   * @return path
   */
  public Path directory() {
    return dir;
  }

  /**
   * The options the store was opened with.
   *
   * @return options
   */
  public StateStoreOptions options() {
    return options;
  }

  /**
   * The latest committed version. Any thread.
   *
   * @return the version (0 = genesis)
   */
  public long version() {
    return version;
  }

  /**
   * The oldest kept version. Any thread.
   *
   * @return the oldest version still readable and available for rollback
   */
  public long oldestVersion() {
    return oldest;
  }

  /**
   * The roots of the latest committed version. Any thread.
   *
   * @return roots
   */
  public StateRoots roots() {
    return roots;
  }

  /**
   * The state root of the latest committed version. Any thread.
   *
   * @return the root
   */
  public Fr root() {
    return roots.stateRoot();
  }

  /**
   * The roots of a kept version. Any thread.
   *
   * @param version the version
   * @return its roots
   * @throws StateStoreException VERSION_NOT_KEPT
   */
  public StateRoots roots(long version) {
    return readLocked(
        () -> {
          try (VersionedReader r = new VersionedReader(kv, version)) {
            return r.roots();
          }
        });
  }

  /**
   * The leaves a kept version changed relative to the version before it. Any thread.
   *
   * @param version the version
   * @return its diff (empty for genesis)
   * @throws StateStoreException VERSION_NOT_KEPT, CORRUPTED_DATA
   */
  public StateDiff diff(long version) {
    return readLocked(
        () -> {
          try (VersionedReader r = new VersionedReader(kv, version)) {
            List<LeafChange> changes = new ArrayList<>();
            r.snapshot()
                .scan(
                    Schema.DIFFS,
                    Schema.versionPrefixStart(version),
                    Schema.versionPrefixEnd(version),
                    (k, v) -> {
                      try {
                        DiffCodec.read(v, changes);
                      } catch (RuntimeException e) {
                        throw new StateStoreException(
                            StateError.CORRUPTED_DATA,
                            "column 'diffs' key "
                                + Bytes.hex(k)
                                + " is malformed: "
                                + e.getMessage(),
                            e);
                      }
                      return true;
                    });
            return new StateDiff(version, changes);
          }
        });
  }

  /**
   * A view of the latest committed version. Any thread.
   *
   * @return a view; close it
   */
  public StateView view() {
    return readLocked(() -> register(new VersionedReader(kv, VersionedReader.LATEST)));
  }

  /**
   * A view of a kept version. Any thread.
   *
   * @param version the version
   * @return a view; close it
   * @throws StateStoreException VERSION_NOT_KEPT
   */
  public StateView view(long version) {
    return readLocked(() -> register(new VersionedReader(kv, version)));
  }

  private StateView register(VersionedReader reader) {
    StateView v = new StateView(this, reader);
    views.add(v);
    return v;
  }

  void release(StateView view) {
    lock.readLock().lock();
    try {
      if (views.remove(view) && !closed) {
        view.closeSnapshot();
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  <T> T readLocked(Supplier<T> op) {
    lock.readLock().lock();
    try {
      checkOpen();
      return op.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  void checkOpen() {
    if (closed) {
      throw new StateStoreException(
          StateError.STORE_CLOSED, "the state store at " + dir + " is closed");
    }
  }

  // ---------------------------------------------------------------- writer

  /**
   * Starts the next batch (it commits as version {@code version() + 1}). Writer thread.
   *
   * @return the batch
   * @throws StateStoreException BATCH_ALREADY_OPEN if a batch is open, STORE_CLOSED
   */
  public StateBatch beginBatch() {
    checkOpen();
    if (openBatch != null) {
      throw new StateStoreException(
          StateError.BATCH_ALREADY_OPEN,
          "the batch for version " + openBatch.version() + " is still open; commit or abort it");
    }
    engine.clear();
    openBatch = new StateBatch(this, engine, hasher, kv, version + 1, roots);
    return openBatch;
  }

  void batchEnded(StateBatch batch) {
    if (openBatch == batch) {
      openBatch = null;
      engine.clear();
    }
  }

  /** Writes a flushed batch as the next version (called by {@link StateBatch#commit}). */
  void commitBatch(StateBatch batch) {
    long v = version + 1;
    if (batch.version() != v || openBatch != batch) {
      throw new IllegalStateException("batch " + batch.version() + " is not the open batch");
    }
    StateRoots newRoots = batch.currentRoots();
    long newOldest = Math.max(oldest, v - options.keptVersions() + 1);
    long t0 = System.nanoTime();
    long t1;
    long t2;
    long t3;
    try (KvTransaction tx = kv.beginTransaction()) {
      ChunkWriter log = new ChunkWriter(tx, Schema.VERSION_LOG, v);
      writeNodes(tx, log, v);
      t1 = System.nanoTime();
      List<LeafChange> changes = writeRecords(batch, tx, log, v);
      log.finish();
      changes.sort(LeafChange.ORDER);
      ChunkWriter diff = new ChunkWriter(tx, Schema.DIFFS, v);
      for (LeafChange c : changes) {
        DiffCodec.write(diff.buffer(), c);
        diff.entryDone();
      }
      diff.finish();
      tx.put(Schema.ROOTS, v, newRoots);
      tx.put(Schema.META, Schema.META_VERSION, v);
      t2 = System.nanoTime();
      prune(tx, oldest, newOldest);
      tx.put(Schema.META, Schema.META_OLDEST, newOldest);
      t3 = System.nanoTime();
      tx.commit();
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "commit {}: nodes {} ms, records+diff {} ms, prune {} ms, write {} ms ({} nodes)",
          v,
          (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000,
          (t3 - t2) / 1_000_000,
          (System.nanoTime() - t3) / 1_000_000,
          engine.overlay().size());
    }
    applyToMirror();
    version = v;
    oldest = newOldest;
    roots = newRoots;
  }

  private void writeNodes(KvTransaction tx, ChunkWriter log, long v) {
    NodeOverlay ov = engine.overlay();
    long[] keys = ov.sortedKeys(); // sorted: sequential memtable inserts
    // committed values: mostly remembered by the engine when it read them; the rest in batches
    long[] old = new long[keys.length * 4];
    boolean[] found = new boolean[keys.length];
    long[] unknown = new long[keys.length];
    int[] where = new int[keys.length];
    int u = 0;
    for (int i = 0; i < keys.length; i++) {
      if (engine.committedValue(keys[i], old, i * 4)) {
        found[i] = true;
      } else {
        unknown[u] = keys[i];
        where[u++] = i;
      }
    }
    if (u > 0) {
      long[] got = new long[u * 4];
      boolean[] gotFound = new boolean[u];
      latest.readMany(unknown, u, got, gotFound);
      for (int j = 0; j < u; j++) {
        found[where[j]] = gotFound[j];
        System.arraycopy(got, j * 4, old, where[j] * 4, 4);
      }
    }
    long[] cur = new long[4];
    long[] tmp = new long[4];
    byte[] value = new byte[32];
    for (int i = 0; i < keys.length; i++) {
      long key = keys[i];
      ov.get(key, cur, 0);
      int h = NodeKeys.height(key);
      boolean newEmpty = MerkleEngine.isEmptyNode(h, cur, 0);
      boolean oldEmpty = !found[i] || MerkleEngine.isEmptyNode(h, old, i * 4);
      if (oldEmpty ? newEmpty : !newEmpty && Montgomery.equal(old, i * 4, cur, 0)) {
        continue;
      }
      byte[] kb = Bytes.ofLong(key);
      if (newEmpty) {
        tx.deleteRaw(Schema.NODES, kb);
      } else {
        Montgomery.toCanonicalBytes(cur, 0, value, 0, tmp);
        tx.putRaw(Schema.NODES, kb, value);
      }
      byte[] oldBytes = null;
      if (!oldEmpty) {
        oldBytes = new byte[32];
        Montgomery.toCanonicalBytes(old, i * 4, oldBytes, 0, tmp);
      }
      tx.putRaw(
          Schema.HISTORY,
          Schema.historyKey(Schema.NODES.id(), key, v),
          Schema.historyValue(oldBytes));
      log.addKey(Schema.NODES.id(), key);
    }
  }

  private List<LeafChange> writeRecords(
      StateBatch batch, KvTransaction tx, ChunkWriter log, long v) {
    List<LeafChange> changes = new ArrayList<>();
    for (StateBatch.Pending p : batch.pendingEntries()) {
      byte[] now = DiffCodec.encodeRecord(p.current);
      byte[] before = p.committedBytes;
      if (Arrays.equals(before, now)) {
        continue;
      }
      KvColumn<Long, ?> column = Schema.recordColumn(p.kind);
      long key = Schema.recordKey(p.kind, p.account, p.index);
      byte[] kb = Bytes.ofLong(key);
      if (now == null) {
        tx.deleteRaw(column, kb);
      } else {
        tx.putRaw(column, kb, now);
      }
      tx.putRaw(
          Schema.HISTORY, Schema.historyKey(column.id(), key, v), Schema.historyValue(before));
      log.addKey(column.id(), key);
      changes.add(p.batchChange());
    }
    return changes;
  }

  private void applyToMirror() {
    NodeOverlay ov = engine.overlay();
    long[] cur = new long[4];
    for (int s = 0; s < ov.capacity(); s++) {
      long key = ov.keyAt(s);
      if (key != NodeOverlay.FREE && upper.covers(key)) {
        ov.valueAt(s, cur, 0);
        upper.write(key, cur, 0, MerkleEngine.isEmptyNode(NodeKeys.height(key), cur, 0));
      }
    }
  }

  /** Drops undo history and logs of versions u in (from, to] and roots and diffs of [from, to). */
  private void prune(KvTransaction tx, long from, long to) {
    for (long u = from + 1; u <= to; u++) {
      long version = u;
      forEachLogged(
          u, (col, key) -> tx.deleteRaw(Schema.HISTORY, Schema.historyKey(col, key, version)));
      deleteChunks(tx, Schema.VERSION_LOG, u);
    }
    for (long u = from; u < to; u++) {
      tx.delete(Schema.ROOTS, u);
      deleteChunks(tx, Schema.DIFFS, u);
    }
  }

  private void deleteChunks(KvTransaction tx, KvColumn<byte[], byte[]> column, long u) {
    kv.scan(
        column,
        Schema.versionPrefixStart(u),
        Schema.versionPrefixEnd(u),
        (k, val) -> {
          tx.deleteRaw(column, k);
          return true;
        });
  }

  @FunctionalInterface
  private interface KeyVisitor {
    void visit(int columnId, long key);
  }

  private void forEachLogged(long u, KeyVisitor visitor) {
    kv.scan(
        Schema.VERSION_LOG,
        Schema.versionPrefixStart(u),
        Schema.versionPrefixEnd(u),
        (k, val) -> {
          if (val.length % 9 != 0) {
            throw new StateStoreException(
                StateError.CORRUPTED_DATA,
                "column 'version-log' key "
                    + Bytes.hex(k)
                    + " holds "
                    + val.length
                    + " bytes, not a multiple of 9");
          }
          for (int i = 0; i < val.length; i += 9) {
            visitor.visit(val[i] & 0xff, Bytes.getLong(val, i + 1));
          }
          return true;
        });
  }

  private record ColumnKey(int column, long key) {}

  /**
   * Rolls the state back to a kept version, atomically (one fsynced write): every key changed after
   * it gets its value at that version back, and the undo history, logs, diffs and roots of the
   * later versions are deleted. Afterwards the root and every proof equal those first produced at
   * that version and the next batch commits as {@code target + 1}. Writer thread; no batch may be
   * open. Rolling back to the current version does nothing.
   *
   * @param target the version to return to
   * @throws StateStoreException VERSION_NOT_KEPT, BATCH_ALREADY_OPEN, CORRUPTED_DATA,
   *     STORAGE_FAILURE (then nothing changed)
   */
  public void rollback(long target) {
    checkOpen();
    if (openBatch != null) {
      throw new StateStoreException(
          StateError.BATCH_ALREADY_OPEN,
          "cannot roll back while the batch for version " + openBatch.version() + " is open");
    }
    long current = version;
    LayoutMetadata.checkKept(target, oldest, current);
    if (target == current) {
      return;
    }
    Map<ColumnKey, byte[]> restore = new LinkedHashMap<>();
    List<byte[]> undoKeys = new ArrayList<>();
    for (long u = target + 1; u <= current; u++) {
      long ver = u;
      forEachLogged(
          u,
          (col, key) -> {
            byte[] hk = Schema.historyKey(col, key, ver);
            undoKeys.add(hk);
            ColumnKey ck = new ColumnKey(col, key);
            if (!restore.containsKey(ck)) {
              byte[] hv = kv.getRaw(Schema.HISTORY, hk);
              if (hv == null) {
                throw new StateStoreException(
                    StateError.CORRUPTED_DATA,
                    "column 'history' has no undo entry "
                        + Bytes.hex(hk)
                        + " listed by version "
                        + ver);
              }
              restore.put(ck, VersionedReader.historyValue(hk, hv));
            }
          });
    }
    StateRoots targetRoots =
        kv.get(Schema.ROOTS, target)
            .orElseThrow(
                () ->
                    new StateStoreException(
                        StateError.CORRUPTED_DATA,
                        "column 'roots' has no entry for kept version " + target));
    // Validate every restored value before writing anything.
    long[] limbs = new long[4];
    List<long[]> mirrorWrites = new ArrayList<>();
    for (Map.Entry<ColumnKey, byte[]> e : restore.entrySet()) {
      KvColumn<Long, ?> column = Schema.versioned(e.getKey().column());
      if (column == null) {
        throw new StateStoreException(
            StateError.CORRUPTED_DATA,
            "column 'version-log' names unknown column id " + e.getKey().column());
      }
      byte[] value = e.getValue();
      long key = e.getKey().key();
      if (column == Schema.NODES) {
        if (value != null) {
          LatestNodes.decode(key, value, value.length, limbs, 0);
        }
        if (upper.covers(key)) {
          mirrorWrites.add(
              value == null
                  ? new long[] {key, 0, 0, 0, 0, 1}
                  : new long[] {key, limbs[0], limbs[1], limbs[2], limbs[3], 0});
        }
      } else if (value != null) {
        KvStore.decode(column, Bytes.ofLong(key), value);
      }
    }
    try (KvTransaction tx = kv.beginTransaction()) {
      for (Map.Entry<ColumnKey, byte[]> e : restore.entrySet()) {
        KvColumn<Long, ?> column = Schema.versioned(e.getKey().column());
        byte[] kb = Bytes.ofLong(e.getKey().key());
        if (e.getValue() == null) {
          tx.deleteRaw(column, kb);
        } else {
          tx.putRaw(column, kb, e.getValue());
        }
      }
      for (byte[] hk : undoKeys) {
        tx.deleteRaw(Schema.HISTORY, hk);
      }
      for (long u = target + 1; u <= current; u++) {
        deleteChunks(tx, Schema.VERSION_LOG, u);
        deleteChunks(tx, Schema.DIFFS, u);
        tx.delete(Schema.ROOTS, u);
      }
      tx.put(Schema.META, Schema.META_VERSION, target);
      tx.commit();
    }
    for (long[] w : mirrorWrites) {
      upper.write(w[0], w, 1, w[5] == 1);
    }
    version = target;
    roots = targetRoots;
    LOG.info("rolled back {} from version {} to {}", dir, current, target);
  }

  /**
   * Closes the store: aborts an open batch, closes open views and releases RocksDB. Writer thread,
   * once readers are done. Idempotent.
   */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (openBatch != null) {
        openBatch.abort();
      }
      for (StateView v : views) {
        v.closeSnapshot();
      }
      views.clear();
      kv.close();
      hashers.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
