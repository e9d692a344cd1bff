package io.zkperp.state;

import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvSerializer;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.kv.KvStoreConfig;
import io.zkperp.state.kv.KvTransaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The layout marker and the column families every state-store layout shares ({@code meta}, {@code
 * nodes}, {@code history}, {@code version-log}), and the checked open: a database records {@code
 * layout.version} and its tree depths in {@code meta}, and a store of one layout refuses a database
 * of another with {@link StateLayoutMismatchException} before writing anything.
 *
 * <p>Stateless; the open is called by the writer thread that will own the store.
 */
public final class LayoutMetadata {
  private LayoutMetadata() {}

  /** The metadata entry holding the layout version. */
  public static final String LAYOUT = "layout.version";

  /** The metadata entry holding the latest committed version. */
  public static final String VERSION = "version";

  /** The metadata entry holding the oldest kept version. */
  public static final String OLDEST = "oldest";

  /** {@code meta} (id 0): UTF-8 name → 8-byte big-endian long. */
  public static final KvColumn<String, Long> META =
      KvColumn.of(
          "meta",
          0,
          KvSerializer.of(
              s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8)),
          KvSerializer.int64());

  /** {@code nodes} (id 1): node key → canonical 32-byte node hash; empty nodes are not stored. */
  public static final KvColumn<Long, byte[]> NODES =
      KvColumn.of("nodes", 1, KvSerializer.int64(), KvSerializer.raw()).uncompressed();

  /** {@code history} (id 7): column id ‖ key ‖ version → undo entry. */
  public static final KvColumn<byte[], byte[]> HISTORY =
      KvColumn.of("history", 7, KvSerializer.raw(), KvSerializer.raw())
          .withPrefixLength(9)
          .uncompressed();

  /** {@code version-log} (id 8): version ‖ chunk → the keys that version changed. */
  public static final KvColumn<byte[], byte[]> VERSION_LOG =
      KvColumn.of("version-log", 8, KvSerializer.raw(), KvSerializer.raw());

  /**
   * Opens or creates a state database of one layout. An existing database is first opened read-only
   * and checked; an empty one is initialised by {@code genesis}, which must write the marker
   * ({@link #writeMarker}) in its transaction.
   *
   * @param dir database directory
   * @param columns every column of the layout (including {@link #META})
   * @param config RocksDB resources
   * @param layoutVersion the layout version this store implements
   * @param depths metadata entry name → tree depth, checked in order
   * @param genesis initialises an empty database
   * @return the open database (the caller closes it)
   * @throws StateLayoutMismatchException another layout version or depth (nothing written)
   * @throws StateStoreException CORRUPTED_DATA (data but no marker, missing metadata),
   *     STORAGE_FAILURE
   */
  public static KvStore open(
      Path dir,
      Collection<KvColumn<?, ?>> columns,
      KvStoreConfig config,
      long layoutVersion,
      Map<String, Long> depths,
      Consumer<KvStore> genesis) {
    if (KvStore.exists(dir)) {
      try (KvStore ro = KvStore.openReadOnly(dir, columns, config)) {
        check(ro, columns, layoutVersion, depths);
      }
    }
    KvStore kv = KvStore.open(dir, columns, config);
    try {
      if (!check(kv, columns, layoutVersion, depths)) {
        genesis.accept(kv);
      }
      return kv;
    } catch (RuntimeException e) {
      kv.close();
      throw e;
    }
  }

  /**
   * {@link #open(Path, Collection, KvStoreConfig, long, Map, Consumer)} with the RocksDB sizes of
   * {@code options}, then builds the store on the open database (closing it if that fails).
   *
   * @param <S> the store type
   * @param dir database directory
   * @param options the store options (block cache and memtable sizes are used here)
   * @param columns every column of the layout (including {@link #META})
   * @param layoutVersion the layout version this store implements
   * @param depths metadata entry name → tree depth, checked in order
   * @param genesis initialises an empty database
   * @param store builds the store from the open database
   * @return the store
   * @throws StateLayoutMismatchException another layout version or depth (nothing written)
   * @throws StateStoreException CORRUPTED_DATA, STORAGE_FAILURE
   */
  public static <S> S openStore(
      Path dir,
      StateStoreOptions options,
      Collection<KvColumn<?, ?>> columns,
      long layoutVersion,
      Map<String, Long> depths,
      Consumer<KvStore> genesis,
      Function<KvStore, S> store) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    KvStoreConfig config =
        new KvStoreConfig(options.blockCacheBytes(), options.writeBufferBytes(), 2);
    KvStore kv = open(dir, columns, config, layoutVersion, depths, genesis);
    try {
      return store.apply(kv);
    } catch (RuntimeException e) {
      kv.close();
      throw e;
    }
  }

  /** True if initialised and of this layout, false if empty; throws otherwise. */
  private static boolean check(
      KvStore kv,
      Collection<KvColumn<?, ?>> columns,
      long layoutVersion,
      Map<String, Long> depths) {
    Optional<Long> layout = kv.get(META, LAYOUT);
    if (layout.isEmpty()) {
      for (KvColumn<?, ?> c : columns) {
        if (!kv.isEmpty(c)) {
          throw new StateStoreException(
              StateError.CORRUPTED_DATA,
              "the database at "
                  + kv.directory()
                  + " has data in column '"
                  + c.name()
                  + "' but no '"
                  + LAYOUT
                  + "' metadata: it is not a state database or its creation was damaged");
        }
      }
      return false;
    }
    if (layout.get() != layoutVersion) {
      throw new StateLayoutMismatchException(LAYOUT, layout.get(), layoutVersion);
    }
    for (Map.Entry<String, Long> d : depths.entrySet()) {
      long stored = meta(kv, d.getKey());
      if (stored != d.getValue()) {
        throw new StateLayoutMismatchException(d.getKey(), stored, d.getValue());
      }
    }
    return true;
  }

  /**
   * Writes the layout marker and depths, and version 0 as both current and oldest.
   *
   * @param tx the genesis transaction
   * @param layoutVersion the layout version
   * @param depths metadata entry name → tree depth
   */
  public static void writeMarker(KvTransaction tx, long layoutVersion, Map<String, Long> depths) {
    tx.put(META, LAYOUT, layoutVersion);
    depths.forEach((k, v) -> tx.put(META, k, v));
    tx.put(META, VERSION, 0L);
    tx.put(META, OLDEST, 0L);
  }

  /**
   * Reads a metadata entry that must exist.
   *
   * @param kv the database
   * @param key the entry
   * @return its value
   * @throws StateStoreException CORRUPTED_DATA if missing
   */
  public static long meta(KvStore kv, String key) {
    return kv.get(META, key)
        .orElseThrow(
            () ->
                new StateStoreException(
                    StateError.CORRUPTED_DATA,
                    "metadata entry '" + key + "' is missing in " + kv.directory()));
  }

  /**
   * Refuses a version outside the kept window.
   *
   * @param version the requested version
   * @param oldest the oldest kept version
   * @param current the latest version
   * @throws StateStoreException VERSION_NOT_KEPT
   */
  public static void checkKept(long version, long oldest, long current) {
    if (version < oldest || version > current) {
      throw new StateStoreException(
          StateError.VERSION_NOT_KEPT,
          "version "
              + version
              + " is not kept: the store keeps versions "
              + oldest
              + " .. "
              + current);
    }
  }
}
