package io.zkperp.state.kv;

import java.util.Objects;

/**
 * A typed RocksDB column family: its name, a one-byte id (used where several columns share a key
 * space, such as an undo history), key and value serializers, and tuning hints.
 *
 * <p>Immutable; any thread.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KvColumn<K, V> {
  private final String name;
  private final byte id;
  private final KvSerializer<K> keys;
  private final KvSerializer<V> values;
  private final int prefixLength;
  private final boolean compressed;

  private KvColumn(
      String name,
      byte id,
      KvSerializer<K> keys,
      KvSerializer<V> values,
      int prefixLength,
      boolean compressed) {
    this.name = name;
    this.id = id;
    this.keys = keys;
    this.values = values;
    this.prefixLength = prefixLength;
    this.compressed = compressed;
  }

  /**
   * A column with no prefix extractor and LZ4-compressed blocks.
   *
   * @param <K> key type
   * @param <V> value type
   * @param name column family name (not {@code default})
   * @param id one-byte id, unique within a store
   * @param keys key serializer
   * @param values value serializer
   * @return the column
   */
  public static <K, V> KvColumn<K, V> of(
      String name, int id, KvSerializer<K> keys, KvSerializer<V> values) {
    Objects.requireNonNull(name, "name");
    if (name.equals("default")) {
      throw new IllegalArgumentException("the default column family is reserved");
    }
    if (id < 0 || id > 255) {
      throw new IllegalArgumentException("a column id is one byte, got " + id);
    }
    return new KvColumn<>(
        name, (byte) id, Objects.requireNonNull(keys), Objects.requireNonNull(values), 0, true);
  }

  /**
   * This column with a fixed-length prefix extractor and prefix bloom filters, for seeks that stay
   * within one key prefix.
   *
   * @param length prefix length in bytes, at least 1
   * @return a new column description
   */
  public KvColumn<K, V> withPrefixLength(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("prefix length must be positive, got " + length);
    }
    return new KvColumn<>(name, id, keys, values, length, compressed);
  }

  /**
   * This column without block compression (for values that are random, such as hashes).
   *
   * @return a new column description
   */
  public KvColumn<K, V> uncompressed() {
    return new KvColumn<>(name, id, keys, values, prefixLength, false);
  }

  /**
   * The column family name.
   *
   * @return name
   */
  public String name() {
    return name;
  }

  /**
   * The one-byte id.
   *
   * @return id as an unsigned value 0..255
   */
  public int id() {
    return id & 0xff;
  }

  /**
   * The key serializer.
   *
   * @return serializer
   */
  public KvSerializer<K> keys() {
    return keys;
  }

  /**
   * The value serializer.
   *
   * @return serializer
   */
  public KvSerializer<V> values() {
    return values;
  }

  /**
   * The prefix-extractor length, 0 when none.
   *
   * @return bytes
   */
  public int prefixLength() {
    return prefixLength;
  }

  /**
   * Whether blocks are compressed.
   *
   * @return true for LZ4
   */
  public boolean compressed() {
    return compressed;
  }

  @Override
  public String toString() {
    return "KvColumn[" + name + "#" + id() + "]";
  }
}
