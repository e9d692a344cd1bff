/**
 * EdDSA on gnark's BN254 twisted Edwards curve, with the Poseidon2 challenge hash the circuit uses.
 *
 * <h2>Curve</h2>
 *
 * <p>−x² + y² = 1 + d·x²y² over Fr (the curve zkSync calls "Baby Jubjub, normalised"), group order
 * 8·l with l a 251-bit prime. −1 is a square and d is not, so the unified addition law is complete.
 * Keys and the signature point R must lie in the order-l subgroup; a point with a torsion component
 * would let one signature have several valid encodings.
 *
 * <h2>Scheme</h2>
 *
 * <p>Key from a 32-byte seed as RFC 8032 (BLAKE2b-512, clamp, little-endian scalar); deterministic
 * nonce BLAKE2b-512(randSrc ‖ message); challenge c = H(R.x, R.y, A.x, A.y, message) with the
 * Poseidon2 hasher; S = c·scalar + nonce mod l; verification with the cofactor, [8][S]B = [8](R +
 * [c]A), as gnark-crypto. Compressed points are RFC 8032 style (y little-endian, sign of x in bit
 * 255).
 *
 * <h2>Strictness</h2>
 *
 * <p>Decoding rejects y ≥ r, points off the curve, "negative zero", points outside the subgroup,
 * the identity as a key, and S ∉ (0, l), each with its own {@link
 * io.zkperp.protocol.encoding.EncodingError}. gnark-crypto silently reduces y ≥ r in keys and
 * accepts "negative zero" for R; zkperp refuses both (gnark-crypto never produces them), so every
 * signature zkperp accepts, gnark-crypto accepts too.
 *
 * <h2>Limits</h2>
 *
 * <p>Scalar multiplication is not constant-time: signing leaks timing. It is meant for clients on
 * their own machines and for tests; the operator only verifies.
 */
package io.zkperp.protocol.eddsa;
