package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Reference sparse Merkle tree: recomputes every node from the map of non-empty leaves, with the
 * protocol's {@link Poseidon2#compress} on {@link Fr} and its own empty-subtree chain. Shares no
 * code with the implementation under test.
 */
final class NaiveTree {
  private static final Fr[] ZERO = new Fr[33];

  static {
    ZERO[0] = Fr.ZERO;
    for (int h = 1; h < ZERO.length; h++) {
      ZERO[h] = Poseidon2.compress(ZERO[h - 1], ZERO[h - 1]);
    }
  }

  private NaiveTree() {}

  static Fr empty(int height) {
    return ZERO[height];
  }

  /** The node at (height, index) of a tree with the given non-empty leaves. */
  static Fr node(NavigableMap<Long, Fr> leaves, int height, long index) {
    long from = index << height;
    long to = (index + 1) << height;
    NavigableMap<Long, Fr> sub = leaves.subMap(from, true, to, false);
    if (sub.isEmpty()) {
      return ZERO[height];
    }
    if (height == 0) {
      return sub.firstEntry().getValue();
    }
    return Poseidon2.compress(
        node(sub, height - 1, 2 * index), node(sub, height - 1, 2 * index + 1));
  }

  static Fr root(NavigableMap<Long, Fr> leaves, int depth) {
    return node(leaves, depth, 0);
  }

  static List<Fr> siblings(NavigableMap<Long, Fr> leaves, int depth, long index) {
    List<Fr> out = new ArrayList<>(depth);
    for (int h = 0; h < depth; h++) {
      out.add(node(leaves, h, (index >>> h) ^ 1));
    }
    return out;
  }

  static TreeMap<Long, Fr> leaves() {
    return new TreeMap<>();
  }
}
