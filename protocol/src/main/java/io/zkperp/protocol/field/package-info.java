/**
 * The BN254 scalar field Fr.
 *
 * <p>r = 21888242871839275222246405745257275088548364400416034343698204186575808495617 (254 bits).
 * Every hash, key coordinate and circuit value in zkperp is an element of Fr. {@link
 * io.zkperp.protocol.field.Fr} is the immutable value type; {@link
 * io.zkperp.protocol.field.Montgomery} is the allocation-free arithmetic on raw limbs that hot
 * loops (Poseidon2, tree hashing, curve arithmetic) use.
 *
 * <h2>Representation</h2>
 *
 * <p>Elements are held in Montgomery form, a·2^256 mod r, on four 64-bit limbs (least significant
 * first), exactly as gnark-crypto's {@code fr.Element}. Multiplication is the no-carry variant of
 * CIOS Montgomery multiplication, valid because r's top limb is below 2^63 − 1; {@code
 * Math.unsignedMultiplyHigh} gives the high halves. Nothing on an arithmetic path uses {@link
 * java.math.BigInteger}; it appears only in constant setup and in slow conversions.
 *
 * <h2>Pitfalls</h2>
 *
 * <ul>
 *   <li>Parsing is strict: a 32-byte value ≥ r is an error, never silently reduced. Reduction mod r
 *       exists only as {@link io.zkperp.protocol.field.Fr#reduce(byte[])} for deriving constants.
 *   <li>Signed 64-bit integers are embedded as x mod r; decoding checks the result is the image of
 *       an i64 so that a field element cannot masquerade as a huge balance.
 * </ul>
 */
package io.zkperp.protocol.field;
