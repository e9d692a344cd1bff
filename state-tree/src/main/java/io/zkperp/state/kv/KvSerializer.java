package io.zkperp.state.kv;

import java.util.Objects;
import java.util.function.Function;

/**
 * Converts keys or values of a {@link KvColumn} to and from bytes.
 *
 * <p>Implementations must be stateless and thread-safe. {@link #deserialize} throws an unchecked
 * exception on malformed input; {@link KvStore} turns it into a {@code CORRUPTED_DATA} error naming
 * the column and key.
 *
 * @param <T> the Java type
 */
public interface KvSerializer<T> {
  /**
   * Encodes a value.
   *
   * @param value the value, not null
   * @return its bytes (a new array the caller may keep)
   */
  byte[] serialize(T value);

  /**
   * Decodes bytes produced by {@link #serialize}.
   *
   * @param bytes the stored bytes
   * @return the value
   * @throws RuntimeException if the bytes are malformed
   */
  T deserialize(byte[] bytes);

  /**
   * A serializer from two functions.
   *
   * @param <T> the Java type
   * @param serialize encoder
   * @param deserialize decoder, throwing on malformed input
   * @return the serializer
   */
  static <T> KvSerializer<T> of(Function<T, byte[]> serialize, Function<byte[], T> deserialize) {
    Objects.requireNonNull(serialize, "serialize");
    Objects.requireNonNull(deserialize, "deserialize");
    return new KvSerializer<>() {
      @Override
      public byte[] serialize(T value) {
        return serialize.apply(value);
      }

      @Override
      public T deserialize(byte[] bytes) {
        return deserialize.apply(bytes);
      }
    };
  }

  /**
   * 64-bit integers as 8 bytes big-endian, so that RocksDB's byte order is the unsigned order of
   * the values.
   *
   * @return the serializer
   */
  static KvSerializer<Long> int64() {
    return Int64Serializer.INSTANCE;
  }

  /**
   * Raw bytes, unchanged (defensive copies are not made).
   *
   * @return the serializer
   */
  static KvSerializer<byte[]> raw() {
    return RawSerializer.INSTANCE;
  }

  /** 8-byte big-endian longs. */
  final class Int64Serializer implements KvSerializer<Long> {
    static final Int64Serializer INSTANCE = new Int64Serializer();

    private Int64Serializer() {}

    @Override
    public byte[] serialize(Long value) {
      byte[] b = new byte[8];
      Bytes.putLong(b, 0, value);
      return b;
    }

    @Override
    public Long deserialize(byte[] bytes) {
      if (bytes.length != 8) {
        throw new IllegalArgumentException("a 64-bit integer is 8 bytes, got " + bytes.length);
      }
      return Bytes.getLong(bytes, 0);
    }
  }

  /** Identity on byte arrays. */
  final class RawSerializer implements KvSerializer<byte[]> {
    static final RawSerializer INSTANCE = new RawSerializer();

    private RawSerializer() {}

    @Override
    public byte[] serialize(byte[] value) {
      return value;
    }

    @Override
    public byte[] deserialize(byte[] bytes) {
      return bytes;
    }
  }
}
