package io.zkperp.state.smt;

/**
 * Packs the address of a tree node into one {@code long}, which is also its 8-byte big-endian
 * RocksDB key: {@code kind (8 bits) | owner (24 bits) | height (8 bits) | index (24 bits)}. The
 * kind names a family of trees of one depth, the owner picks the tree instance within the family
 * (the account of a positions or fills tree; 0 for singleton trees), the height counts from the
 * leaves (0) to the root (the depth), and the index is the node's position in its level ({@code
 * leafIndex >> height}). Byte order therefore sorts by kind, owner, height, then index, so one
 * level of one tree is a contiguous key range.
 *
 * <p>Stateless; any thread.
 */
public final class NodeKeys {
  /** Largest supported tree depth (indices have 24 bits). */
  public static final int MAX_DEPTH = 24;

  /** Largest owner id + 1. */
  public static final int MAX_OWNERS = 1 << 24;

  private NodeKeys() {}

  /**
   * The key of a node.
   *
   * @param kind tree family, 0..255
   * @param owner tree instance, 0..2^24-1
   * @param height 0 (leaf) .. depth (root)
   * @param index index within the level, 0..2^24-1
   * @return the packed key
   */
  public static long key(int kind, int owner, int height, long index) {
    return ((long) kind << 56) | ((long) owner << 32) | ((long) height << 24) | index;
  }

  /**
   * The tree family of a key.
   *
   * @param key packed key
   * @return kind
   */
  public static int kind(long key) {
    return (int) (key >>> 56);
  }

  /**
   * The tree instance of a key.
   *
   * @param key packed key
   * @return owner
   */
  public static int owner(long key) {
    return (int) ((key >>> 32) & 0xffffff);
  }

  /**
   * The height of a key.
   *
   * @param key packed key
   * @return height
   */
  public static int height(long key) {
    return (int) ((key >>> 24) & 0xff);
  }

  /**
   * The level index of a key.
   *
   * @param key packed key
   * @return index
   */
  public static long index(long key) {
    return key & 0xffffff;
  }

  /**
   * The key of a node's parent.
   *
   * @param key packed key
   * @return the parent's key
   */
  public static long parent(long key) {
    return (key & 0xffffffff00000000L) | ((long) (height(key) + 1) << 24) | (index(key) >>> 1);
  }
}
