package io.zkperp.state.smt;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.MerkleProof;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The generic engine on small depths against a naive recomputation from the leaves. */
class MerkleEngineTest {
  static final int SMALL = 0;
  static final int MEDIUM = 1;
  static final List<TreeSpec> SPECS = List.of(new TreeSpec(SMALL, 3), new TreeSpec(MEDIUM, 5));

  /** Naive: recompute the node from all leaves below it. */
  static Fr naive(NavigableMap<Long, Fr> leaves, int h, long index) {
    NavigableMap<Long, Fr> sub = leaves.subMap(index << h, true, (index + 1) << h, false);
    if (sub.isEmpty()) {
      return zero(h);
    }
    if (h == 0) {
      return sub.firstEntry().getValue();
    }
    return Poseidon2.compress(naive(sub, h - 1, 2 * index), naive(sub, h - 1, 2 * index + 1));
  }

  static Fr zero(int h) {
    Fr z = Fr.ZERO;
    for (int i = 0; i < h; i++) {
      z = Poseidon2.compress(z, z);
    }
    return z;
  }

  /** An in-memory committed store: the overlay of a flushed engine copied into a map. */
  static final class MapSource implements NodeSource {
    final Map<Long, long[]> nodes = new HashMap<>();

    @Override
    public boolean read(long key, long[] dst, int off) {
      long[] v = nodes.get(key);
      if (v == null) {
        return false;
      }
      System.arraycopy(v, 0, dst, off, 4);
      return true;
    }

    void absorb(NodeOverlay o) {
      for (int s = 0; s < o.capacity(); s++) {
        long k = o.keyAt(s);
        if (k != NodeOverlay.FREE) {
          long[] v = new long[4];
          o.valueAt(s, v, 0);
          nodes.put(k, v);
        }
      }
    }
  }

  static long[] limbs(Fr f) {
    long[] l = new long[4];
    f.toMontgomery(l, 0);
    return l;
  }

  @Test
  void emptyTreeHasEmptyRootAndProofs() {
    MerkleEngine e = new MerkleEngine(SPECS, NodeSource.EMPTY, new HashWorkers(1));
    assertThat(e.root(MEDIUM, 9)).isEqualTo(zero(5));
    MerkleProof p = e.proof(MEDIUM, 9, 17);
    assertThat(p.leaf()).isEqualTo(Fr.ZERO);
    assertThat(p.verifies(zero(5))).isTrue();
  }

  @Property(tries = 60)
  void witnessAndBatchedModesMatchNaive(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int updates) {
    SplittableRandom r = new SplittableRandom(seed);
    MapSource committed = new MapSource();
    HashWorkers workers = new HashWorkers(r.nextBoolean() ? 1 : 2);
    MerkleEngine witness = new MerkleEngine(SPECS, committed, workers);
    MapSource committed2 = new MapSource();
    MerkleEngine batched = new MerkleEngine(SPECS, committed2, workers);
    Map<Long, TreeMap<Long, Fr>> ref = new HashMap<>(); // (kind<<32|owner) -> leaves
    for (int i = 0; i < updates; i++) {
      int kind = r.nextBoolean() ? SMALL : MEDIUM;
      int depth = kind == SMALL ? 3 : 5;
      int owner = r.nextInt(3);
      long index = r.nextLong(1L << depth);
      Fr leaf = r.nextInt(5) == 0 ? Fr.ZERO : Fr.fromUnsignedLong(r.nextLong());
      TreeMap<Long, Fr> leaves =
          ref.computeIfAbsent(((long) kind << 32) | owner, k -> new TreeMap<>());
      Fr oldNaiveRoot = naive(leaves, depth, 0);
      List<Fr> naiveSiblings = new ArrayList<>();
      for (int h = 0; h < depth; h++) {
        naiveSiblings.add(naive(leaves, h, (index >>> h) ^ 1));
      }
      if (leaf.isZero()) {
        leaves.remove(index);
      } else {
        leaves.put(index, leaf);
      }
      Fr newNaiveRoot = naive(leaves, depth, 0);

      PathWitness w = witness.updateLeaf(kind, owner, index, limbs(leaf), 0);
      assertThat(w.oldRoot()).isEqualTo(oldNaiveRoot);
      assertThat(w.newRoot()).isEqualTo(newNaiveRoot);
      assertThat(w.siblings()).isEqualTo(naiveSiblings);
      assertThat(w.isConsistent()).isTrue();

      batched.setLeaf(kind, owner, index, limbs(leaf), 0);
      if (r.nextInt(4) == 0) {
        assertThat(batched.root(kind, owner)).isEqualTo(newNaiveRoot);
      }
      if (r.nextInt(6) == 0) {
        // "commit": persist both overlays and start over on top of them
        batched.flush(SMALL);
        batched.flush(MEDIUM);
        committed.absorb(witness.overlay());
        committed2.absorb(batched.overlay());
        witness.clear();
        batched.clear();
      }
    }
    for (Map.Entry<Long, TreeMap<Long, Fr>> t : ref.entrySet()) {
      int kind = (int) (t.getKey() >>> 32);
      int owner = (int) (long) t.getKey();
      int depth = kind == SMALL ? 3 : 5;
      Fr root = naive(t.getValue(), depth, 0);
      assertThat(batched.root(kind, owner)).isEqualTo(root);
      assertThat(witness.root(kind, owner)).isEqualTo(root);
      for (long i = 0; i < (1L << depth); i += 3) {
        MerkleProof p = batched.proof(kind, owner, i);
        assertThat(p.leaf()).isEqualTo(t.getValue().getOrDefault(i, Fr.ZERO));
        assertThat(p.verifies(root)).isTrue();
      }
    }
    workers.close();
  }

  @Test
  void batchedFlushHashesSharedNodesOnce() {
    HashWorkers workers = new HashWorkers(1);
    MerkleEngine e = new MerkleEngine(SPECS, NodeSource.EMPTY, workers);
    // all 32 leaves of a depth-5 tree: a full binary tree has 31 internal nodes
    for (long i = 0; i < 32; i++) {
      e.setLeaf(MEDIUM, 0, i, limbs(Fr.fromUnsignedLong(i + 1)), 0);
    }
    long before = e.compressions();
    e.flush(MEDIUM);
    assertThat(e.compressions() - before).isEqualTo(31);
    // witness mode: one path per update
    MerkleEngine w = new MerkleEngine(SPECS, NodeSource.EMPTY, workers);
    long b2 = w.compressions();
    for (long i = 0; i < 32; i++) {
      w.updateLeaf(MEDIUM, 0, i, limbs(Fr.fromUnsignedLong(i + 1)), 0);
    }
    assertThat(w.compressions() - b2).isEqualTo(32 * 5);
    assertThat(w.root(MEDIUM, 0)).isEqualTo(e.root(MEDIUM, 0));
    workers.close();
  }

  @Test
  void parallelHashingEqualsSerial() {
    HashWorkers one = new HashWorkers(1);
    HashWorkers three = new HashWorkers(3);
    long[] in = new long[200 * 8];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 400; i++) {
      Fr.fromUnsignedLong(r.nextLong()).toMontgomery(in, i * 4);
    }
    long[] a = new long[200 * 4];
    long[] b = new long[200 * 4];
    one.compressPairs(in, a, 200);
    three.compressPairs(in, b, 200);
    assertThat(b).isEqualTo(a);
    assertThat(Fr.fromMontgomery(a, 4 * 17))
        .isEqualTo(
            Poseidon2.compress(Fr.fromMontgomery(in, 8 * 17), Fr.fromMontgomery(in, 8 * 17 + 4)));
    one.close();
    three.close();
  }
}
