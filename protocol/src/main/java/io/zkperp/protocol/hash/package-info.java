/**
 * Poseidon2 over BN254, exactly as gnark-crypto v0.21.0 defines it.
 *
 * <h2>Parameters</h2>
 *
 * <p>Width t = 2, 6 full rounds (3 before and 3 after the partial rounds), 50 partial rounds, S-box
 * x⁵. The external matrix is circ(2, 1), the internal matrix [[2, 1], [1, 3]], and a multiplication
 * by the external matrix precedes the first round. Round keys are <em>not</em> the HorizenLabs
 * reference constants: gnark-crypto derives them from a Keccak-256 chain seeded with the string
 * {@code Poseidon2-BN254[t=2,rF=6,rP=50,d=5]} — key₁ = K(K(seed)), keyᵢ₊₁ = K(keyᵢ), each reduced
 * mod r, two per full round and one per partial round. A port that reuses other Poseidon2 constants
 * computes a different function; the golden vectors pin these.
 *
 * <h2>Constructions</h2>
 *
 * <ul>
 *   <li>{@code Compress(l, r) = P(l, r)[1] + r}: the 2→1 one-way compression (feed-forward of the
 *       right input) used for every Merkle node.
 *   <li>{@code H(x₁…xₙ)}: Merkle–Damgård over Compress with IV 0 and no padding. Without padding,
 *       inputs of different lengths can collide only if one is a prefix of the other extended by
 *       zero blocks; every use in zkperp has a fixed length per domain tag, so this cannot be
 *       exploited.
 * </ul>
 */
package io.zkperp.protocol.hash;
