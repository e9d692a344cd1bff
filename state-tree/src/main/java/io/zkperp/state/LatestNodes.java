package io.zkperp.state;

import io.zkperp.protocol.field.Montgomery;
import io.zkperp.state.kv.Bytes;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.smt.NodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The latest committed nodes as the writer reads them: the {@link UpperLevelCache} for the upper
 * accounts levels, else one RocksDB {@code get} into reused buffers (no allocation). Writer thread
 * only.
 */
final class LatestNodes implements NodeSource {
  private final KvStore kv;
  private final UpperLevelCache upper;
  private final byte[] key = new byte[8];
  private final byte[] value = new byte[Montgomery.LIMBS * 8 + 1];

  LatestNodes(KvStore kv, UpperLevelCache upper) {
    this.kv = kv;
    this.upper = upper;
  }

  @Override
  public boolean read(long nodeKey, long[] dst, int off) {
    if (upper.covers(nodeKey)) {
      return upper.read(nodeKey, dst, off);
    }
    return readStored(nodeKey, dst, off);
  }

  /** Mirror hits directly, the rest in one RocksDB MultiGet per 4096 keys. */
  @Override
  public void readMany(long[] keys, int n, long[] dst, boolean[] found) {
    List<byte[]> pending = new ArrayList<>();
    int[] where = new int[Math.min(n, CHUNK)];
    for (int i = 0; i < n; i++) {
      long k = keys[i];
      if (upper.covers(k)) {
        found[i] = upper.read(k, dst, i * 4);
        continue;
      }
      where[pending.size()] = i;
      pending.add(Bytes.ofLong(k));
      if (pending.size() == where.length) {
        fetch(pending, where, keys, dst, found);
        pending.clear();
      }
    }
    if (!pending.isEmpty()) {
      fetch(pending, where, keys, dst, found);
    }
  }

  private static final int CHUNK = 4096;

  private void fetch(List<byte[]> pending, int[] where, long[] keys, long[] dst, boolean[] found) {
    List<byte[]> values = kv.multiGetRaw(Schema.NODES, pending);
    for (int j = 0; j < values.size(); j++) {
      int i = where[j];
      byte[] v = values.get(j);
      found[i] = v != null;
      if (v != null) {
        decode(keys[i], v, v.length, dst, i * 4);
      }
    }
  }

  /** Reads from RocksDB, bypassing the mirror. */
  boolean readStored(long nodeKey, long[] dst, int off) {
    Bytes.putLong(key, 0, nodeKey);
    int n = kv.getRaw(Schema.NODES, key, value);
    if (n < 0) {
      return false;
    }
    decode(nodeKey, value, n, dst, off);
    return true;
  }

  /** Decodes a stored node value (canonical 32 bytes) or throws CORRUPTED_DATA. */
  static void decode(long nodeKey, byte[] v, int length, long[] dst, int off) {
    io.zkperp.state.kv.VersionedKeys.decodeNode(nodeKey, v, length, dst, off);
  }

  static StateStoreException corrupted(long nodeKey, String what) {
    return io.zkperp.state.kv.VersionedKeys.corruptedNode(nodeKey, what);
  }
}
