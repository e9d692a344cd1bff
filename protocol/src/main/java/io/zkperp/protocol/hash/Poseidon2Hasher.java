package io.zkperp.protocol.hash;

import io.zkperp.protocol.field.Fr;

/**
 * Incremental Poseidon2 Merkle–Damgård hasher (IV 0, no padding), the same function as
 * gnark-crypto's {@code poseidon2.NewMerkleDamgardHasher()} and gnark's circuit {@code
 * std/hash/poseidon2.New}. Each absorbed block is one field element; {@link #writeBytes} follows
 * gnark-crypto's byte semantics (32-byte canonical blocks, a short last block left-padded with
 * zeros).
 *
 * <p>Not thread-safe: one instance per thread. {@link Poseidon2#hash} is the one-shot form.
 */
public final class Poseidon2Hasher {
  private final long[] state = new long[12];
  private final long[] scratch = new long[Poseidon2.SCRATCH_LONGS];
  private int blocks;

  /** Creates a hasher in its initial state (digest 0). */
  public Poseidon2Hasher() {}

  /**
   * Absorbs one field element.
   *
   * @param x the element
   * @return this hasher
   */
  public Poseidon2Hasher write(Fr x) {
    x.toMontgomery(state, 8);
    Poseidon2.compressInPlace(state, 0, state, 8, scratch);
    blocks++;
    return this;
  }

  /**
   * Absorbs field elements in order.
   *
   * @param xs the elements
   * @return this hasher
   */
  public Poseidon2Hasher write(Fr... xs) {
    for (Fr x : xs) {
      write(x);
    }
    return this;
  }

  /**
   * Absorbs bytes as gnark-crypto's byte interface does: consecutive 32-byte blocks, each a
   * canonical field element; a last block shorter than 32 bytes is left-padded with zeros. All
   * blocks are checked before any is absorbed, so a bad block leaves the hasher unchanged.
   *
   * @param bytes the data
   * @return this hasher
   * @throws io.zkperp.protocol.encoding.InvalidEncodingException if a block is not below r
   */
  public Poseidon2Hasher writeBytes(byte[] bytes) {
    int n = (bytes.length + Fr.BYTES - 1) / Fr.BYTES;
    Fr[] parsed = new Fr[n];
    for (int i = 0; i < n; i++) {
      int start = i * Fr.BYTES;
      int len = Math.min(Fr.BYTES, bytes.length - start);
      byte[] block = new byte[Fr.BYTES];
      System.arraycopy(bytes, start, block, Fr.BYTES - len, len);
      try {
        parsed[i] = Fr.fromBytes(block);
      } catch (io.zkperp.protocol.encoding.InvalidEncodingException e) {
        throw Poseidon2.nonCanonicalBlock(blocks + i);
      }
    }
    return write(parsed);
  }

  /**
   * The digest of everything absorbed since creation or the last {@link #reset}. Does not change
   * the state.
   *
   * @return the digest
   */
  public Fr sum() {
    return Fr.fromMontgomery(state, 0);
  }

  /**
   * Returns to the initial state.
   *
   * @return this hasher
   */
  public Poseidon2Hasher reset() {
    java.util.Arrays.fill(state, 0);
    blocks = 0;
    return this;
  }
}
