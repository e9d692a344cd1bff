package io.zkperp.protocol.hash;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.field.Montgomery;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * The Poseidon2 permutation over BN254's scalar field with gnark-crypto's default parameters
 * (package {@code ecc/bn254/fr/poseidon2}, v0.21.0): width t = 2, 6 full rounds, 50 partial rounds,
 * S-box x⁵, round keys from a Keccak-256 chain over the seed {@code
 * Poseidon2-BN254[t=2,rF=6,rP=50,d=5]}. {@link #compress} is gnark-crypto's {@code
 * Permutation.Compress}, the 2→1 node hash of every zkperp Merkle tree; {@link Poseidon2Hasher} is
 * its Merkle–Damgård hasher.
 *
 * <p>All methods are static and thread-safe; the permutation allocates nothing beyond what the
 * caller passes.
 */
public final class Poseidon2 {
  /** State width. */
  public static final int WIDTH = 2;

  /** Number of full rounds (half before, half after the partial rounds). */
  public static final int FULL_ROUNDS = 6;

  /** Number of partial rounds. */
  public static final int PARTIAL_ROUNDS = 50;

  /** The seed string whose Keccak-256 chain gives the round keys. */
  public static final String SEED =
      "Poseidon2-BN254[t=" + WIDTH + ",rF=" + FULL_ROUNDS + ",rP=" + PARTIAL_ROUNDS + ",d=5]";

  private static final int HALF_FULL = FULL_ROUNDS / 2;

  /**
   * Round keys in Montgomery limbs: for full rounds 8 longs (two elements), for partial rounds 4.
   * Laid out consecutively in round order.
   */
  private static final long[] KEYS;

  private static final Fr[][] ROUND_KEYS;

  static {
    ROUND_KEYS = deriveRoundKeys();
    KEYS = new long[(FULL_ROUNDS * WIDTH + PARTIAL_ROUNDS) * 4];
    int k = 0;
    for (Fr[] round : ROUND_KEYS) {
      for (Fr key : round) {
        key.toMontgomery(KEYS, k);
        k += 4;
      }
    }
  }

  private Poseidon2() {}

  /**
   * The round keys, exactly as gnark-crypto's {@code Parameters.RoundKeys}: two per full round, one
   * per partial round.
   *
   * @return a fresh copy, one array per round
   */
  public static Fr[][] roundKeys() {
    Fr[][] copy = new Fr[ROUND_KEYS.length][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = ROUND_KEYS[i].clone();
    }
    return copy;
  }

  /**
   * Applies the permutation in place to a state of two elements in Montgomery limbs ({@code
   * state[offset .. offset+8)}). Uses {@code scratch[0 .. 8)} as working space.
   *
   * @param state the state, element 0 then element 1
   * @param offset where the state starts
   * @param scratch at least 8 longs of working space
   */
  public static void permute(long[] state, int offset, long[] scratch) {
    final int a = offset;
    final int b = offset + 4;
    matMulExternal(state, a, b, scratch);
    int key = 0;
    for (int round = 0; round < HALF_FULL; round++) {
      Montgomery.add(state, a, state, a, KEYS, key);
      Montgomery.add(state, b, state, b, KEYS, key + 4);
      key += 8;
      sbox(state, a, scratch);
      sbox(state, b, scratch);
      matMulExternal(state, a, b, scratch);
    }
    for (int round = 0; round < PARTIAL_ROUNDS; round++) {
      Montgomery.add(state, a, state, a, KEYS, key);
      key += 4;
      sbox(state, a, scratch);
      matMulInternal(state, a, b, scratch);
    }
    for (int round = 0; round < HALF_FULL; round++) {
      Montgomery.add(state, a, state, a, KEYS, key);
      Montgomery.add(state, b, state, b, KEYS, key + 4);
      key += 8;
      sbox(state, a, scratch);
      sbox(state, b, scratch);
      matMulExternal(state, a, b, scratch);
    }
  }

  /**
   * The permutation on two elements.
   *
   * @param x0 first element of the state
   * @param x1 second element of the state
   * @return the permuted state, two elements
   */
  public static Fr[] permute(Fr x0, Fr x1) {
    long[] s = new long[16];
    x0.toMontgomery(s, 0);
    x1.toMontgomery(s, 4);
    permute(s, 0, new long[8]);
    return new Fr[] {Fr.fromMontgomery(s, 0), Fr.fromMontgomery(s, 4)};
  }

  /**
   * gnark-crypto's {@code Compress(l, r)}: the second element of P(l, r) plus r.
   *
   * @param left left input
   * @param right right input
   * @return the compression
   */
  public static Fr compress(Fr left, Fr right) {
    long[] s = new long[12];
    left.toMontgomery(s, 0);
    right.toMontgomery(s, 8);
    compressInPlace(s, 0, s, 8, new long[SCRATCH_LONGS]);
    return Fr.fromMontgomery(s, 0);
  }

  /** Longs of working space {@link #compressInPlace} needs. */
  public static final int SCRATCH_LONGS = 12;

  /**
   * Allocation-free {@code Compress} on Montgomery limbs: reads the left input at {@code
   * state[offset .. offset+4)} and the right input at {@code right[rightOffset .. +4)}, leaves the
   * result at {@code state[offset .. offset+4)} and clobbers {@code state[offset+4 .. offset+8)}.
   * The right input may lie anywhere except inside the scratch space.
   *
   * @param state 8 longs: left input in, result out
   * @param offset where the state starts
   * @param right array holding the right input
   * @param rightOffset offset of the right input
   * @param scratch {@link #SCRATCH_LONGS} longs of working space, overlapping nothing else
   */
  public static void compressInPlace(
      long[] state, int offset, long[] right, int rightOffset, long[] scratch) {
    System.arraycopy(right, rightOffset, scratch, 8, 4);
    System.arraycopy(right, rightOffset, state, offset + 4, 4);
    permute(state, offset, scratch);
    Montgomery.add(state, offset, state, offset + 4, scratch, 8);
  }

  /**
   * {@code Compress} on canonical 32-byte encodings, as gnark-crypto's byte API.
   *
   * @param left 32-byte canonical encoding
   * @param right 32-byte canonical encoding
   * @return the 32-byte encoding of the compression
   * @throws InvalidEncodingException if an input is not a canonical field element
   */
  public static byte[] compress(byte[] left, byte[] right) {
    return compress(Fr.fromBytes(left), Fr.fromBytes(right)).toBytes();
  }

  /**
   * The Merkle–Damgård hash (IV 0) of field elements: {@code s = 0; s = Compress(s, x) for each x}.
   * Equals gnark-crypto's {@code NewMerkleDamgardHasher} fed the elements' canonical encodings, and
   * gnark's circuit hasher {@code std/hash/poseidon2}.
   *
   * @param elements the inputs, in order
   * @return the digest (0 for no input)
   */
  public static Fr hash(Fr... elements) {
    long[] s = new long[12];
    long[] scratch = new long[SCRATCH_LONGS];
    for (Fr x : elements) {
      x.toMontgomery(s, 8);
      compressInPlace(s, 0, s, 8, scratch);
    }
    return Fr.fromMontgomery(s, 0);
  }

  // x -> x^5 in place; scratch[0..4) used.
  private static void sbox(long[] s, int i, long[] scratch) {
    Montgomery.square(scratch, 0, s, i);
    Montgomery.square(scratch, 0, scratch, 0);
    Montgomery.mul(s, i, s, i, scratch, 0);
  }

  // circ(2, 1): (a, b) -> (2a + b, a + 2b)
  private static void matMulExternal(long[] s, int a, int b, long[] scratch) {
    Montgomery.add(scratch, 4, s, a, s, b);
    Montgomery.add(s, a, s, a, scratch, 4);
    Montgomery.add(s, b, s, b, scratch, 4);
  }

  // [[2, 1], [1, 3]]: (a, b) -> (2a + b, a + 3b)
  private static void matMulInternal(long[] s, int a, int b, long[] scratch) {
    Montgomery.add(scratch, 4, s, a, s, b);
    Montgomery.add(s, a, s, a, scratch, 4);
    Montgomery.dbl(s, b, s, b);
    Montgomery.add(s, b, s, b, scratch, 4);
  }

  private static Fr[][] deriveRoundKeys() {
    // gnark-crypto initRC: rnd = K(seed); then repeatedly rnd = K(rnd), key = rnd mod r.
    KeccakDigest keccak = new KeccakDigest(256);
    byte[] rnd = new byte[32];
    byte[] seed = SEED.getBytes(StandardCharsets.US_ASCII);
    keccak.update(seed, 0, seed.length);
    keccak.doFinal(rnd, 0);
    Fr[][] keys = new Fr[FULL_ROUNDS + PARTIAL_ROUNDS][];
    for (int round = 0; round < keys.length; round++) {
      boolean full = round < HALF_FULL || round >= HALF_FULL + PARTIAL_ROUNDS;
      keys[round] = new Fr[full ? WIDTH : 1];
      for (int j = 0; j < keys[round].length; j++) {
        keccak.update(rnd, 0, rnd.length);
        keccak.doFinal(rnd, 0);
        keys[round][j] = Fr.reduce(rnd);
      }
    }
    return keys;
  }

  static InvalidEncodingException nonCanonicalBlock(int index) {
    return new InvalidEncodingException(
        EncodingError.NON_CANONICAL_FIELD_ELEMENT,
        "hasher block " + index + " is not a canonical field element (must be below r)");
  }
}
