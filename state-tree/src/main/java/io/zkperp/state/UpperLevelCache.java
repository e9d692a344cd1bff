package io.zkperp.state;

import io.zkperp.protocol.field.Montgomery;
import io.zkperp.state.kv.Bytes;
import io.zkperp.state.kv.KvStore;
import io.zkperp.state.smt.NodeKeys;

/**
 * An in-memory mirror of the committed accounts-tree nodes at heights {@code >= fromHeight}: limbs
 * in pages of 1,024 nodes (32 KiB) per level, a page allocated on its first non-empty node
 * (all-zero limbs = empty node), so memory follows the populated part of the tree, at most {@code
 * 2^(25-fromHeight) * 32} bytes. Loaded at open by one range scan, patched after each commit and
 * rollback. Writer thread only.
 */
final class UpperLevelCache {
  private static final int KIND = TreeKind.ACCOUNTS.code();
  private static final int DEPTH = TreeKind.ACCOUNTS.depth();
  private static final int PAGE_SHIFT = 10;
  private static final int PAGE_MASK = (1 << PAGE_SHIFT) - 1;

  private final int fromHeight;
  private final long[][][] levels = new long[DEPTH + 1][][];

  UpperLevelCache(int fromHeight) {
    this.fromHeight = fromHeight;
    for (int h = Math.min(fromHeight, DEPTH + 1); h <= DEPTH; h++) {
      int nodes = 1 << (DEPTH - h);
      levels[h] = new long[(nodes + PAGE_MASK) >>> PAGE_SHIFT][];
    }
  }

  boolean covers(long key) {
    return NodeKeys.kind(key) == KIND
        && NodeKeys.owner(key) == 0
        && NodeKeys.height(key) >= fromHeight;
  }

  /** Reads a covered node; false if empty. */
  boolean read(long key, long[] dst, int off) {
    int index = (int) NodeKeys.index(key);
    long[] page = levels[NodeKeys.height(key)][index >>> PAGE_SHIFT];
    if (page == null) {
      return false;
    }
    int i = (index & PAGE_MASK) * 4;
    if ((page[i] | page[i + 1] | page[i + 2] | page[i + 3]) == 0) {
      return false;
    }
    System.arraycopy(page, i, dst, off, 4);
    return true;
  }

  /** Writes a covered node; {@code empty} clears it. */
  void write(long key, long[] src, int off, boolean empty) {
    int index = (int) NodeKeys.index(key);
    long[][] level = levels[NodeKeys.height(key)];
    long[] page = level[index >>> PAGE_SHIFT];
    int i = (index & PAGE_MASK) * 4;
    if (empty) {
      if (page != null) {
        java.util.Arrays.fill(page, i, i + 4, 0L);
      }
      return;
    }
    if (page == null) {
      page = new long[Math.min(1 << PAGE_SHIFT, 1 << (DEPTH - NodeKeys.height(key))) * 4];
      level[index >>> PAGE_SHIFT] = page;
    }
    System.arraycopy(src, off, page, i, 4);
  }

  /** Loads every committed node the mirror covers. */
  void load(KvStore kv) {
    if (fromHeight > DEPTH) {
      return;
    }
    long[] limbs = new long[4];
    byte[] from = Bytes.ofLong(NodeKeys.key(KIND, 0, fromHeight, 0));
    byte[] to = Bytes.ofLong(NodeKeys.key(KIND, 0, DEPTH + 1, 0));
    kv.scan(
        Schema.NODES,
        from,
        to,
        (k, v) -> {
          long key = Bytes.getLong(k, 0);
          LatestNodes.decode(key, v, v.length, limbs, 0);
          write(key, limbs, 0, Montgomery.isZero(limbs, 0));
          return true;
        });
  }
}
