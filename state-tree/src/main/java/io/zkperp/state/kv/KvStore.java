package io.zkperp.state.kv;

import io.zkperp.state.StateError;
import io.zkperp.state.StateStoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksObject;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A RocksDB database seen as a set of typed {@link KvColumn}s (one column family each), in the
 * spirit of Teku's {@code KvStoreColumn}. Writes go through a {@link KvTransaction}: every put and
 * delete of a transaction, across columns, lands in one RocksDB {@code WriteBatch} that is written
 * atomically with {@code sync = true} (the WAL is fsynced before {@link KvTransaction#commit}
 * returns). Reads of the latest values go straight to the database; {@link KvSnapshot} gives a
 * consistent point-in-time view.
 *
 * <p>Thread-safety: every method of this class may be called from any thread, concurrently, except
 * {@link #close}, which the owner calls once no other thread uses the store. A {@link
 * KvTransaction} and a {@link KvSnapshot} are each confined to one thread at a time.
 */
public final class KvStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final RocksDB db;
  private final boolean readOnly;
  private final ColumnFamilyHandle[] handles = new ColumnFamilyHandle[256];
  private final String[] names = new String[256];
  private final List<ColumnFamilyHandle> allHandles;
  private final List<RocksObject> resources;
  private final WriteOptions syncWrite;
  private final ReadOptions plainRead;
  private volatile boolean closed;

  private KvStore(
      Path dir,
      RocksDB db,
      boolean readOnly,
      List<ColumnFamilyDescriptor> descriptors,
      List<ColumnFamilyHandle> handleList,
      Collection<KvColumn<?, ?>> columns,
      List<RocksObject> resources) {
    this.dir = dir;
    this.db = db;
    this.readOnly = readOnly;
    this.allHandles = handleList;
    this.resources = resources;
    for (KvColumn<?, ?> c : columns) {
      names[c.id()] = c.name();
      for (int i = 0; i < descriptors.size(); i++) {
        if (new String(descriptors.get(i).getName(), StandardCharsets.UTF_8).equals(c.name())) {
          handles[c.id()] = handleList.get(i);
        }
      }
    }
    this.syncWrite = new WriteOptions().setSync(true);
    this.plainRead = new ReadOptions();
  }

  /**
   * Whether a RocksDB database exists in a directory.
   *
   * @param dir the directory
   * @return true if it holds a {@code CURRENT} file
   */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve("CURRENT"));
  }

  /**
   * Opens (creating if needed) a database with the given columns, creating missing column families.
   * Column families present on disk but not listed are opened too and left alone.
   *
   * @param dir database directory
   * @param columns the columns, with distinct names and ids
   * @param config RocksDB resources
   * @return the store
   * @throws StateStoreException STORAGE_FAILURE if RocksDB cannot open the database
   */
  public static KvStore open(Path dir, Collection<KvColumn<?, ?>> columns, KvStoreConfig config) {
    return openInternal(dir, columns, config, false);
  }

  /**
   * Opens an existing database read-only (RocksDB recovers its WAL in memory and writes nothing).
   * Listed columns that do not exist on disk read as empty.
   *
   * @param dir database directory, which must hold a database
   * @param columns the columns
   * @param config RocksDB resources
   * @return a store on which transactions fail
   * @throws StateStoreException STORAGE_FAILURE if RocksDB cannot open the database
   */
  public static KvStore openReadOnly(
      Path dir, Collection<KvColumn<?, ?>> columns, KvStoreConfig config) {
    return openInternal(dir, columns, config, true);
  }

  private static KvStore openInternal(
      Path dir, Collection<KvColumn<?, ?>> columns, KvStoreConfig config, boolean readOnly) {
    checkDistinct(columns);
    List<RocksObject> resources = new ArrayList<>();
    try {
      if (!readOnly) {
        Files.createDirectories(dir);
      }
      LRUCache cache = new LRUCache(config.blockCacheBytes());
      resources.add(cache);
      BloomFilter bloom = new BloomFilter(10);
      resources.add(bloom);
      DBOptions dbOptions =
          new DBOptions()
              .setCreateIfMissing(!readOnly)
              .setCreateMissingColumnFamilies(!readOnly)
              .setMaxBackgroundJobs(config.backgroundJobs())
              .setDbWriteBufferSize(config.writeBufferBytes())
              .setBytesPerSync(1 << 20)
              .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
              .setKeepLogFileNum(2);
      resources.add(dbOptions);

      Set<String> onDisk = new HashSet<>();
      if (exists(dir)) {
        try (Options listOptions = new Options()) {
          for (byte[] name : RocksDB.listColumnFamilies(listOptions, dir.toString())) {
            onDisk.add(new String(name, StandardCharsets.UTF_8));
          }
        }
      }
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      ColumnFamilyOptions defaultOptions = new ColumnFamilyOptions();
      resources.add(defaultOptions);
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultOptions));
      Set<String> listed = new HashSet<>();
      for (KvColumn<?, ?> c : columns) {
        listed.add(c.name());
        if (readOnly && !onDisk.contains(c.name())) {
          continue;
        }
        ColumnFamilyOptions cfo = columnOptions(c, cache, bloom, config);
        resources.add(cfo);
        descriptors.add(new ColumnFamilyDescriptor(c.name().getBytes(StandardCharsets.UTF_8), cfo));
      }
      for (String name : onDisk) {
        if (!name.equals("default") && !listed.contains(name)) {
          descriptors.add(
              new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), defaultOptions));
        }
      }
      List<ColumnFamilyHandle> handleList = new ArrayList<>();
      RocksDB db =
          readOnly
              ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handleList)
              : RocksDB.open(dbOptions, dir.toString(), descriptors, handleList);
      return new KvStore(dir, db, readOnly, descriptors, handleList, columns, resources);
    } catch (RocksDBException | java.io.IOException e) {
      for (RocksObject r : resources) {
        r.close();
      }
      throw new StateStoreException(
          StateError.STORAGE_FAILURE,
          "cannot open RocksDB at " + dir + (readOnly ? " read-only" : "") + ": " + e.getMessage(),
          e);
    }
  }

  private static ColumnFamilyOptions columnOptions(
      KvColumn<?, ?> c, LRUCache cache, BloomFilter bloom, KvStoreConfig config) {
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setFilterPolicy(bloom)
            .setCacheIndexAndFilterBlocks(true)
            .setPinL0FilterAndIndexBlocksInCache(true)
            .setBlockSize(8 * 1024);
    ColumnFamilyOptions cfo =
        new ColumnFamilyOptions()
            .setTableFormatConfig(table)
            .setCompressionType(
                c.compressed() ? CompressionType.LZ4_COMPRESSION : CompressionType.NO_COMPRESSION)
            .setWriteBufferSize(Math.max(4L << 20, config.writeBufferBytes() / 4))
            .setLevelCompactionDynamicLevelBytes(true);
    if (c.prefixLength() > 0) {
      cfo.useFixedLengthPrefixExtractor(c.prefixLength());
    }
    return cfo;
  }

  private static void checkDistinct(Collection<KvColumn<?, ?>> columns) {
    Set<String> names = new HashSet<>();
    boolean[] ids = new boolean[256];
    for (KvColumn<?, ?> c : columns) {
      if (!names.add(c.name()) || ids[c.id()]) {
        throw new IllegalArgumentException("duplicate column name or id: " + c);
      }
      ids[c.id()] = true;
    }
  }

  /**
   * The database directory.
   *
   * @return path
   */
  public Path directory() {
    return dir;
  }

  /**
   * Whether this store was opened read-only.
   *
   * @return true if read-only
   */
  public boolean isReadOnly() {
    return readOnly;
  }

  /**
   * Reads and decodes the latest value of a key.
   *
   * @param <K> key type
   * @param <V> value type
   * @param column the column
   * @param key the key
   * @return the value, or empty if absent
   * @throws StateStoreException CORRUPTED_DATA if the stored bytes do not decode
   */
  public <K, V> Optional<V> get(KvColumn<K, V> column, K key) {
    byte[] k = column.keys().serialize(key);
    byte[] v = getRaw(column, k);
    return v == null ? Optional.empty() : Optional.of(decode(column, k, v));
  }

  /**
   * Reads the latest bytes of a key.
   *
   * @param column the column
   * @param key the serialized key
   * @return a new array, or null if absent
   */
  public byte[] getRaw(KvColumn<?, ?> column, byte[] key) {
    ColumnFamilyHandle h = handle(column);
    if (h == null) {
      return null;
    }
    try {
      return db.get(h, plainRead, key);
    } catch (RocksDBException e) {
      throw failure("read " + column.name(), e);
    }
  }

  /**
   * Reads the latest bytes of a key into a caller buffer, allocating nothing.
   *
   * @param column the column
   * @param key the serialized key (the whole array)
   * @param value destination; if the value is longer only its first bytes are copied
   * @return the value's full length, or -1 if absent
   */
  public int getRaw(KvColumn<?, ?> column, byte[] key, byte[] value) {
    ColumnFamilyHandle h = handle(column);
    if (h == null) {
      return -1;
    }
    try {
      int n = db.get(h, plainRead, key, 0, key.length, value, 0, value.length);
      return n == RocksDB.NOT_FOUND ? -1 : n;
    } catch (RocksDBException e) {
      throw failure("read " + column.name(), e);
    }
  }

  /**
   * Reads the latest bytes of many keys of one column in one RocksDB {@code MultiGet}.
   *
   * @param column the column
   * @param keys serialized keys
   * @return the values in key order, null where absent
   */
  public List<byte[]> multiGetRaw(KvColumn<?, ?> column, List<byte[]> keys) {
    ColumnFamilyHandle h = handle(column);
    if (h == null) {
      return new ArrayList<>(java.util.Collections.nCopies(keys.size(), (byte[]) null));
    }
    try {
      return db.multiGetAsList(plainRead, java.util.Collections.nCopies(keys.size(), h), keys);
    } catch (RocksDBException e) {
      throw failure("multi-get " + column.name(), e);
    }
  }

  /**
   * Visits the latest entries with {@code from <= key < to} in key order.
   *
   * @param column the column
   * @param from first key (inclusive)
   * @param to end key (exclusive), or null for the end of the column
   * @param visitor called per entry; return false to stop
   */
  public void scan(KvColumn<?, ?> column, byte[] from, byte[] to, EntryVisitor visitor) {
    ColumnFamilyHandle h = handle(column);
    if (h == null) {
      return;
    }
    try (RocksIterator it = db.newIterator(h, plainRead)) {
      scan(it, from, to, visitor);
    }
  }

  static void scan(RocksIterator it, byte[] from, byte[] to, EntryVisitor visitor) {
    for (it.seek(from); it.isValid(); it.next()) {
      byte[] k = it.key();
      if (to != null && Arrays.compareUnsigned(k, to) >= 0) {
        break;
      }
      if (!visitor.visit(k, it.value())) {
        break;
      }
    }
  }

  /**
   * Whether a column holds no entry.
   *
   * @param column the column
   * @return true if empty
   */
  public boolean isEmpty(KvColumn<?, ?> column) {
    boolean[] any = {false};
    scan(
        column,
        new byte[0],
        null,
        (k, v) -> {
          any[0] = true;
          return false;
        });
    return !any[0];
  }

  /**
   * Starts a transaction. Nothing is written until {@link KvTransaction#commit}.
   *
   * @return a new transaction, confined to the calling thread
   * @throws StateStoreException STORAGE_FAILURE on a read-only store
   */
  public KvTransaction beginTransaction() {
    checkOpen();
    if (readOnly) {
      throw new StateStoreException(
          StateError.STORAGE_FAILURE, "the store at " + dir + " is open read-only");
    }
    return new KvTransaction(this);
  }

  /**
   * Takes a consistent point-in-time view of every column.
   *
   * @return a snapshot; close it to release RocksDB resources
   */
  public KvSnapshot snapshot() {
    checkOpen();
    return new KvSnapshot(this, db);
  }

  void write(WriteBatch batch) {
    checkOpen();
    try {
      db.write(syncWrite, batch);
    } catch (RocksDBException e) {
      throw failure("write batch", e);
    }
  }

  ColumnFamilyHandle handle(KvColumn<?, ?> column) {
    checkOpen();
    String n = names[column.id()];
    if (n == null || !n.equals(column.name())) {
      throw new IllegalArgumentException(column + " is not a column of this store");
    }
    return handles[column.id()];
  }

  /**
   * Decodes a stored value with its column's serializer.
   *
   * @param <V> value type
   * @param column the column
   * @param key the serialized key (for the error message)
   * @param value the stored bytes
   * @return the value
   * @throws StateStoreException CORRUPTED_DATA if the bytes do not decode
   */
  public static <V> V decode(KvColumn<?, V> column, byte[] key, byte[] value) {
    try {
      return column.values().deserialize(value);
    } catch (RuntimeException e) {
      throw new StateStoreException(
          StateError.CORRUPTED_DATA,
          "column '"
              + column.name()
              + "' key "
              + Bytes.hex(key)
              + " holds "
              + value.length
              + " bytes that do not decode: "
              + e.getMessage(),
          e);
    }
  }

  static StateStoreException failure(String what, RocksDBException e) {
    return new StateStoreException(
        StateError.STORAGE_FAILURE, "RocksDB failed to " + what + ": " + e.getMessage(), e);
  }

  private void checkOpen() {
    if (closed) {
      throw new StateStoreException(StateError.STORE_CLOSED, "the store at " + dir + " is closed");
    }
  }

  /**
   * Whether {@link #close} has been called.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Flushes the memtables (so the next open replays no large WAL), closes the database and frees
   * native resources. Idempotent. Snapshots and transactions must be closed first.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!readOnly) {
      // Persist the memtables so that the next open does not replay a large WAL (twice: the
      // state store validates read-only first). A crash skips this; the WAL then recovers.
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        db.flush(flush, allHandles);
      } catch (RocksDBException e) {
        org.slf4j.LoggerFactory.getLogger(KvStore.class)
            .warn("flush at close of {} failed: {}", dir, e.getMessage());
      }
    }
    syncWrite.close();
    plainRead.close();
    for (ColumnFamilyHandle h : allHandles) {
      h.close();
    }
    db.close();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  /** Receives entries of a scan. */
  @FunctionalInterface
  public interface EntryVisitor {
    /**
     * Visits one entry.
     *
     * @param key the key (a new array)
     * @param value the value (a new array)
     * @return true to continue, false to stop
     */
    boolean visit(byte[] key, byte[] value);
  }
}
