package io.zkperp.state.kv;

import io.zkperp.protocol.field.Montgomery;
import io.zkperp.state.StateError;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.smt.NodeKeys;
import java.util.Arrays;

/**
 * The versioning scheme shared by the state stores of every layout: undo-history keys ({@code
 * column id ‖ key ‖ version}) holding a key's value <b>before</b> that version, per-version chunk
 * keys ({@code version ‖ chunk}), the undo-entry encoding ({@code 0x00} = absent, {@code 0x01 ‖
 * bytes}), reads of a key at an older version, and the decoding of stored node hashes.
 *
 * <p>Stateless; any thread.
 */
public final class VersionedKeys {
  private VersionedKeys() {}

  /**
   * The undo-history key of a record or node.
   *
   * @param columnId the versioned column's id
   * @param key the 8-byte key in that column
   * @param version the version whose write the entry undoes
   * @return 17 bytes
   */
  public static byte[] historyKey(int columnId, long key, long version) {
    byte[] b = new byte[17];
    b[0] = (byte) columnId;
    Bytes.putLong(b, 1, key);
    Bytes.putLong(b, 9, version);
    return b;
  }

  /**
   * The key of chunk {@code chunk} of a version's log (or any other per-version chunked column).
   *
   * @param version the version
   * @param chunk the chunk number
   * @return 12 bytes, sorting by version then chunk
   */
  public static byte[] chunkKey(long version, int chunk) {
    byte[] b = new byte[12];
    Bytes.putLong(b, 0, version);
    Bytes.putInt(b, 8, chunk);
    return b;
  }

  /**
   * Encodes the value a key had before a version.
   *
   * @param old the old bytes, or null if the key was absent
   * @return {@code 0x00}, or {@code 0x01 ‖ old}
   */
  public static byte[] undoEntry(byte[] old) {
    if (old == null) {
      return new byte[] {0};
    }
    byte[] v = new byte[old.length + 1];
    v[0] = 1;
    System.arraycopy(old, 0, v, 1, old.length);
    return v;
  }

  /**
   * Decodes an undo entry.
   *
   * @param key the history key (for the error message)
   * @param v the stored entry
   * @return the old bytes, or null if the key was absent
   * @throws StateStoreException CORRUPTED_DATA if the entry is malformed
   */
  public static byte[] undoValue(byte[] key, byte[] v) {
    if (v.length == 1 && v[0] == 0) {
      return null;
    }
    if (v.length > 1 && v[0] == 1) {
      return Arrays.copyOfRange(v, 1, v.length);
    }
    throw new StateStoreException(
        StateError.CORRUPTED_DATA,
        "column 'history' key "
            + Bytes.hex(key)
            + " holds a malformed undo entry of "
            + v.length
            + " bytes (expected 0x00, or 0x01 and the old value)");
  }

  /**
   * The bytes of a versioned key as of {@code version}: the undo entry of the smallest version
   * above it, else the latest value.
   *
   * @param snapshot the snapshot to read
   * @param history the undo-history column (prefix length 9)
   * @param column the versioned column
   * @param key the key in that column
   * @param version the version to read
   * @param head whether {@code version} is the snapshot's latest version (no history seek)
   * @return the bytes, or null if absent at that version
   */
  public static byte[] readAt(
      KvSnapshot snapshot,
      KvColumn<byte[], byte[]> history,
      KvColumn<Long, ?> column,
      long key,
      long version,
      boolean head) {
    if (!head) {
      KvSnapshot.KvEntry e =
          snapshot.ceilingInPrefix(history, historyKey(column.id(), key, version + 1));
      if (e != null) {
        return undoValue(e.key(), e.value());
      }
    }
    return snapshot.getRaw(column, Bytes.ofLong(key));
  }

  /**
   * Decodes a stored node hash into Montgomery limbs.
   *
   * @param nodeKey the node's key (for the error message)
   * @param v the stored bytes
   * @param length how many of them are valid
   * @param dst destination limbs
   * @param off offset in {@code dst}
   * @throws StateStoreException CORRUPTED_DATA if not a canonical 32-byte element
   */
  public static void decodeNode(long nodeKey, byte[] v, int length, long[] dst, int off) {
    if (length != 32) {
      throw corruptedNode(nodeKey, "holds " + length + " bytes, a node hash is 32");
    }
    if (!Montgomery.fromCanonicalBytes(v, 0, dst, off)) {
      throw corruptedNode(nodeKey, "holds a value that is not below the field modulus r");
    }
  }

  /**
   * The error for a malformed node.
   *
   * @param nodeKey the node's key
   * @param what what is wrong
   * @return a CORRUPTED_DATA exception naming the node
   */
  public static StateStoreException corruptedNode(long nodeKey, String what) {
    return new StateStoreException(
        StateError.CORRUPTED_DATA,
        "column 'nodes' key "
            + Bytes.hex(Bytes.ofLong(nodeKey))
            + " (tree kind "
            + NodeKeys.kind(nodeKey)
            + ", owner "
            + NodeKeys.owner(nodeKey)
            + ", height "
            + NodeKeys.height(nodeKey)
            + ", index "
            + NodeKeys.index(nodeKey)
            + ") "
            + what);
  }
}
