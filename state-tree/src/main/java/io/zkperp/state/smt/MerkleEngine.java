package io.zkperp.state.smt;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.field.Montgomery;
import io.zkperp.protocol.state.MerkleProof;
import io.zkperp.protocol.state.StateLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fixed-depth sparse Merkle trees over Poseidon2 {@code Compress}, many instances in one key space
 * ({@link NodeKeys}), in layout v1's conventions: an internal node is {@code Compress(left,
 * right)}, the empty subtree of height h is {@code Z_h} ({@link StateLayout#emptySubtree}), the
 * node at height h on leaf i's path has index {@code i >> h} and is a left child iff bit h of i is
 * 0, and proofs list siblings leaf upward.
 *
 * <p>Nodes written by this engine live in an in-memory {@link NodeOverlay} on top of a read-only
 * {@link NodeSource} (the committed state); the caller persists the overlay and {@link #clear}s it.
 * Two update modes:
 *
 * <ul>
 *   <li><b>witness</b> ({@link #updateLeaf}): recomputes the leaf's path at once and returns a
 *       {@link PathWitness} (depth compressions per update);
 *   <li><b>batched</b> ({@link #setLeaf}): records the leaf; {@link #flush} later hashes each dirty
 *       node exactly once, level by level, so nodes shared by several updated leaves are hashed
 *       once per flush (optionally on several {@link HashWorkers} threads).
 * </ul>
 *
 * <p>Reads ({@link #read}, {@link #root}, {@link #proof}) see the overlay. Empty nodes are never
 * stored by the caller: a node equal to {@code Z_h} is the same as an absent one.
 *
 * <p>Not thread-safe: one writer thread.
 */
public final class MerkleEngine {
  private static final int MAX_HEIGHT = 32;
  private static final long[] EMPTY = new long[(MAX_HEIGHT + 1) * 4];

  static {
    for (int h = 0; h <= MAX_HEIGHT; h++) {
      StateLayout.emptySubtree(h).toMontgomery(EMPTY, h * 4);
    }
  }

  private final int[] depths = new int[256];
  private final LongList[] dirty = new LongList[256];
  private final NodeSource base;
  private final HashWorkers hashers;
  private final NodeOverlay overlay = new NodeOverlay(1024);
  private final NodeOverlay committed = new NodeOverlay(1024);
  private final long[] tmp = new long[4];

  /**
   * Creates an engine.
   *
   * @param specs the tree families (distinct kinds)
   * @param base where nodes not written by this engine are read
   * @param hashers compression workers (owned by the caller)
   */
  public MerkleEngine(List<TreeSpec> specs, NodeSource base, HashWorkers hashers) {
    for (TreeSpec s : specs) {
      if (depths[s.kind()] != 0) {
        throw new IllegalArgumentException("duplicate tree kind " + s.kind());
      }
      depths[s.kind()] = s.depth();
      dirty[s.kind()] = new LongList();
    }
    this.base = base;
    this.hashers = hashers;
  }

  /**
   * The depth of a tree family.
   *
   * @param kind the family
   * @return its depth
   */
  public int depth(int kind) {
    int d = depths[kind];
    if (d == 0) {
      throw new IllegalArgumentException("unknown tree kind " + kind);
    }
    return d;
  }

  /**
   * Writes {@code Z_h} to dst.
   *
   * @param height 0..32
   * @param dst destination
   * @param off offset
   */
  public static void emptyNode(int height, long[] dst, int off) {
    System.arraycopy(EMPTY, height * 4, dst, off, 4);
  }

  /**
   * Whether limbs equal {@code Z_h}.
   *
   * @param height the height
   * @param a limbs
   * @param off offset
   * @return true for the empty subtree hash
   */
  public static boolean isEmptyNode(int height, long[] a, int off) {
    return Montgomery.equal(a, off, EMPTY, height * 4);
  }

  /**
   * Reads a node from a source, substituting {@code Z_h} for an absent node.
   *
   * @param source the source
   * @param key node key
   * @param dst destination
   * @param off offset
   */
  public static void read(NodeSource source, long key, long[] dst, int off) {
    if (!source.read(key, dst, off)) {
      emptyNode(NodeKeys.height(key), dst, off);
    }
  }

  /**
   * Reads a node: the overlay, else the base, else {@code Z_h}. Does not flush.
   *
   * @param key node key
   * @param dst destination
   * @param off offset
   */
  public void read(long key, long[] dst, int off) {
    if (!overlay.get(key, dst, off) && !base.read(key, dst, off)) {
      emptyNode(NodeKeys.height(key), dst, off);
    }
  }

  /**
   * Reads many nodes: the overlay first, the rest from the base in one batched call, {@code Z_h}
   * for absent ones.
   *
   * @param keys node keys
   * @param n how many
   * @param dst 4 longs per key
   */
  public void readMany(long[] keys, int n, long[] dst) {
    readMany(keys, n, dst, 0);
  }

  /**
   * {@link #readMany(long[], int, long[])}, remembering the committed value (or {@code Z_h}) of
   * keys at positions {@code >= rememberFrom} that came from the base, for {@link #committedValue}.
   */
  private void readMany(long[] keys, int n, long[] dst, int rememberFrom) {
    long[] missing = new long[n];
    int[] where = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (!overlay.get(keys[i], dst, i * 4)) {
        missing[m] = keys[i];
        where[m++] = i;
      }
    }
    if (m == 0) {
      return;
    }
    long[] got = new long[m * 4];
    boolean[] found = new boolean[m];
    base.readMany(missing, m, got, found);
    for (int j = 0; j < m; j++) {
      int i = where[j];
      if (found[j]) {
        System.arraycopy(got, j * 4, dst, i * 4, 4);
      } else {
        emptyNode(NodeKeys.height(missing[j]), dst, i * 4);
      }
      if (i >= rememberFrom) {
        committed.put(keys[i], dst, i * 4);
      }
    }
  }

  /**
   * The committed (base) value of a node this engine has overwritten, if it read it from the base
   * before overwriting it ({@code Z_h} for an absent node). Saves the commit a read.
   *
   * @param key node key
   * @param dst destination
   * @param off offset
   * @return false if unknown (read it from the base)
   */
  public boolean committedValue(long key, long[] dst, int off) {
    return committed.get(key, dst, off);
  }

  /**
   * Updates one leaf in witness mode: flushes pending batched updates of the family, then
   * recomputes the leaf's path now.
   *
   * @param kind tree family
   * @param owner tree instance
   * @param index leaf index
   * @param leaf new leaf limbs
   * @param off offset of the leaf
   * @return the witness: siblings and the roots before and after
   */
  public PathWitness updateLeaf(int kind, int owner, long index, long[] leaf, int off) {
    int depth = depth(kind);
    checkIndex(owner, index, depth);
    flush(kind);
    long leafKey = NodeKeys.key(kind, owner, 0, index);
    // one batched read: the siblings leaf upward, then the path itself (old leaf .. old root),
    // whose committed values the commit needs for the undo history
    long[] keys = new long[2 * depth + 1];
    for (int h = 0; h < depth; h++) {
      keys[h] = NodeKeys.key(kind, owner, h, (index >>> h) ^ 1);
    }
    for (int h = 0; h <= depth; h++) {
      keys[depth + h] = NodeKeys.key(kind, owner, h, index >>> h);
    }
    long[] sib = new long[(2 * depth + 1) * 4];
    readMany(keys, 2 * depth + 1, sib, depth);
    long[] old = Arrays.copyOfRange(sib, depth * 4, depth * 4 + 4);
    long[] oldRoot = Arrays.copyOfRange(sib, 2 * depth * 4, (2 * depth + 1) * 4);
    long[] acc = Arrays.copyOfRange(leaf, off, off + 4);
    Fr newLeaf = Fr.fromMontgomery(acc, 0);
    if (!Montgomery.equal(old, 0, acc, 0)) {
      overlay.put(leafKey, acc, 0);
      for (int h = 0; h < depth; h++) {
        if (((index >>> h) & 1) == 0) {
          hashers.compress(acc, 0, sib, h * 4, acc, 0);
        } else {
          hashers.compress(sib, h * 4, acc, 0, acc, 0);
        }
        overlay.put(NodeKeys.key(kind, owner, h + 1, index >>> (h + 1)), acc, 0);
      }
    } else {
      System.arraycopy(oldRoot, 0, acc, 0, 4);
    }
    Fr[] siblings = new Fr[depth];
    for (int h = 0; h < depth; h++) {
      siblings[h] = Fr.fromMontgomery(sib, h * 4);
    }
    return new PathWitness(
        index,
        Fr.fromMontgomery(old, 0),
        newLeaf,
        Arrays.asList(siblings),
        Fr.fromMontgomery(oldRoot, 0),
        Fr.fromMontgomery(acc, 0));
  }

  /**
   * Sets one leaf in batched mode: no hashing until {@link #flush} (or a read that flushes). A leaf
   * set to its current value is ignored.
   *
   * @param kind tree family
   * @param owner tree instance
   * @param index leaf index
   * @param leaf new leaf limbs
   * @param off offset of the leaf
   */
  public void setLeaf(int kind, int owner, long index, long[] leaf, int off) {
    int depth = depth(kind);
    checkIndex(owner, index, depth);
    long leafKey = NodeKeys.key(kind, owner, 0, index);
    readMany(new long[] {leafKey}, 1, tmp, 0);
    if (Montgomery.equal(tmp, 0, leaf, off)) {
      return;
    }
    overlay.put(leafKey, leaf, off);
    dirty[kind].add(leafKey);
  }

  /**
   * {@link #setLeaf} for many leaves of one family, reading their current values in one batched
   * read.
   *
   * @param kind tree family
   * @param owners tree instance per leaf
   * @param indices leaf index per leaf
   * @param leaves 4 limbs per leaf
   * @param n how many
   */
  public void setLeaves(int kind, int[] owners, long[] indices, long[] leaves, int n) {
    int depth = depth(kind);
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      checkIndex(owners[i], indices[i], depth);
      keys[i] = NodeKeys.key(kind, owners[i], 0, indices[i]);
    }
    long[] current = new long[n * 4];
    readMany(keys, n, current, 0);
    for (int i = 0; i < n; i++) {
      if (!Montgomery.equal(current, i * 4, leaves, i * 4)) {
        overlay.put(keys[i], leaves, i * 4);
        dirty[kind].add(keys[i]);
      }
    }
  }

  /**
   * Whether a family has leaves set in batched mode and not yet hashed.
   *
   * @param kind the family
   * @return true if a flush would hash something
   */
  public boolean isDirty(int kind) {
    return !dirty[kind].isEmpty();
  }

  /**
   * Hashes every dirty node of a family, bottom-up, each once: at each height the distinct parents
   * of the dirty nodes are recomputed from their two children (read from the overlay or the base).
   *
   * @param kind the family
   */
  public void flush(int kind) {
    LongList d = dirty[kind];
    if (d == null || d.isEmpty()) {
      return;
    }
    long[] cur = d.sortedDistinct();
    d.clear();
    int depth = depths[kind];
    for (int h = 0; h < depth; h++) {
      long[] parents = new long[cur.length];
      int n = 0;
      long prev = NodeOverlay.FREE;
      for (long k : cur) {
        long p = NodeKeys.parent(k);
        if (p != prev) {
          parents[n++] = p;
          prev = p;
        }
      }
      long[] in = new long[n * 12];
      long[] out = new long[n * 4];
      long[] children = new long[n * 3];
      for (int i = 0; i < n; i++) {
        long p = parents[i];
        long left = NodeKeys.key(kind, NodeKeys.owner(p), h, NodeKeys.index(p) << 1);
        children[2 * i] = left;
        children[2 * i + 1] = left + 1;
        children[2 * n + i] = p; // its committed value, for the commit's undo history
      }
      readMany(children, 3 * n, in, 2 * n);
      hashers.compressPairs(in, out, n);
      for (int i = 0; i < n; i++) {
        overlay.put(parents[i], out, i * 4);
      }
      cur = n == parents.length ? parents : Arrays.copyOf(parents, n);
    }
  }

  /**
   * The root of one tree, after flushing its family.
   *
   * @param kind tree family
   * @param owner tree instance
   * @param dst destination limbs
   * @param off offset
   */
  public void root(int kind, int owner, long[] dst, int off) {
    flush(kind);
    read(NodeKeys.key(kind, owner, depth(kind), 0), dst, off);
  }

  /**
   * The root of one tree, after flushing its family.
   *
   * @param kind tree family
   * @param owner tree instance
   * @return the root
   */
  public Fr root(int kind, int owner) {
    long[] r = new long[4];
    root(kind, owner, r, 0);
    return Fr.fromMontgomery(r, 0);
  }

  /**
   * The inclusion proof of a leaf, after flushing its family.
   *
   * @param kind tree family
   * @param owner tree instance
   * @param index leaf index
   * @return the proof (leaf 0 for an empty slot)
   */
  public MerkleProof proof(int kind, int owner, long index) {
    int depth = depth(kind);
    checkIndex(owner, index, depth);
    flush(kind);
    return proof(this::readOverlayOrBase, kind, depth, owner, index);
  }

  private boolean readOverlayOrBase(long key, long[] dst, int off) {
    return overlay.get(key, dst, off) || base.read(key, dst, off);
  }

  /**
   * The inclusion proof of a leaf read from any node source.
   *
   * @param source the nodes
   * @param kind tree family
   * @param depth its depth
   * @param owner tree instance
   * @param index leaf index
   * @return the proof
   */
  public static MerkleProof proof(NodeSource source, int kind, int depth, int owner, long index) {
    long[] buf = new long[(depth + 1) * 4];
    read(source, NodeKeys.key(kind, owner, 0, index), buf, 0);
    List<Fr> siblings = new ArrayList<>(depth);
    for (int h = 0; h < depth; h++) {
      read(source, NodeKeys.key(kind, owner, h, (index >>> h) ^ 1), buf, (h + 1) * 4);
      siblings.add(Fr.fromMontgomery(buf, (h + 1) * 4));
    }
    return new MerkleProof(index, Fr.fromMontgomery(buf, 0), siblings);
  }

  /**
   * The overlay of nodes written since the last {@link #clear}.
   *
   * @return the live overlay (do not modify)
   */
  public NodeOverlay overlay() {
    return overlay;
  }

  /**
   * Compressions performed so far by this engine's workers.
   *
   * @return the count
   */
  public long compressions() {
    return hashers.compressions();
  }

  /**
   * Wall-clock nanoseconds spent hashing so far ({@link HashWorkers#hashingNanos()}).
   *
   * @return nanoseconds
   */
  public long hashingNanos() {
    return hashers.hashingNanos();
  }

  /** Forgets the overlay and every pending batched update. */
  public void clear() {
    overlay.clear();
    committed.clear();
    for (LongList d : dirty) {
      if (d != null) {
        d.clear();
      }
    }
  }

  private static void checkIndex(int owner, long index, int depth) {
    if (index < 0 || index >= (1L << depth)) {
      throw new IllegalArgumentException(
          "leaf index " + index + " is outside a tree of depth " + depth);
    }
    if (owner < 0 || owner >= NodeKeys.MAX_OWNERS) {
      throw new IllegalArgumentException("tree owner " + owner + " is outside [0, 2^24)");
    }
  }
}
