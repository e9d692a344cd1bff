package io.zkperp.protocol.eddsa;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An EdDSA signature (R, S): R a point of the prime-order subgroup, 0 &lt; S &lt; l. Encoded as
 * compressed R ‖ S (32 bytes big-endian), 64 bytes, as gnark-crypto's {@code Signature.Bytes()}.
 *
 * <p>Immutable; any thread.
 */
public final class EdDsaSignature {
  /** Length of the encoding. */
  public static final int ENCODED_BYTES = 64;

  private final EdwardsPoint r;
  private final byte[] s; // 32 bytes big-endian, 0 < S < l
  final long[] sLimbs;

  private EdDsaSignature(EdwardsPoint r, byte[] s) {
    this.r = r;
    this.s = s;
    this.sLimbs = Scalars.fromBigEndian(s, 0, 32);
  }

  /**
   * Builds a signature from its parts, checking them.
   *
   * @param r the point R
   * @param s the scalar S
   * @return the signature
   * @throws InvalidEncodingException if R is not in the subgroup or S is not in (0, l)
   */
  public static EdDsaSignature of(EdwardsPoint r, BigInteger s) {
    if (!r.isInSubgroup()) {
      throw new InvalidEncodingException(
          EncodingError.POINT_NOT_IN_SUBGROUP,
          "signature point R " + r + " is not in the prime-order subgroup");
    }
    return ofSubgroupPoint(r, s);
  }

  /**
   * Builds a signature whose R is a multiple of the base point, as signing makes it (so in the
   * subgroup by construction: the check of {@link #of}, a full scalar multiplication, is skipped).
   *
   * @param r [k]B for the signer's nonce k
   * @param s the scalar S
   * @return the signature
   * @throws InvalidEncodingException if S is not in (0, l)
   */
  static EdDsaSignature ofSubgroupPoint(EdwardsPoint r, BigInteger s) {
    if (s.signum() <= 0 || s.compareTo(EdwardsPoint.ORDER) >= 0) {
      throw new InvalidEncodingException(
          EncodingError.SCALAR_OUT_OF_RANGE, "signature scalar S must be in (0, l), got " + s);
    }
    byte[] sb = s.toByteArray();
    byte[] s32 = new byte[32];
    int n = Math.min(sb.length, 32);
    System.arraycopy(sb, sb.length - n, s32, 32 - n, n);
    return new EdDsaSignature(r, s32);
  }

  /**
   * Strictly decodes 64 bytes: the checks of gnark-crypto's {@code Signature.SetBytes} (length, 0
   * &lt; S &lt; l, canonical R, R in the subgroup), plus zkperp's strict point rules.
   *
   * @param encoding 64 bytes
   * @return the signature
   * @throws InvalidEncodingException naming the rule that failed
   */
  public static EdDsaSignature decode(byte[] encoding) {
    if (encoding.length != ENCODED_BYTES) {
      throw new InvalidEncodingException(
          EncodingError.WRONG_LENGTH,
          "a signature is 64 bytes (compressed R then S), got " + encoding.length + " bytes");
    }
    EdDsaSignature sig = decodeWithoutSubgroupCheck(encoding);
    if (!sig.r.isInSubgroup()) {
      throw new InvalidEncodingException(
          EncodingError.POINT_NOT_IN_SUBGROUP,
          "signature point R " + sig.r + " is not in the prime-order subgroup");
    }
    return sig;
  }

  /**
   * Decodes with every rule of {@link #decode} except R's subgroup membership, for {@link
   * EdDsa#verify(EdDsaPublicKey, byte[], Fr...)}, whose exact equation rejects such R anyway.
   */
  static EdDsaSignature decodeWithoutSubgroupCheck(byte[] encoding) {
    if (encoding.length != ENCODED_BYTES) {
      throw new InvalidEncodingException(
          EncodingError.WRONG_LENGTH,
          "a signature is 64 bytes (compressed R then S), got " + encoding.length + " bytes");
    }
    long[] s = Scalars.fromBigEndian(encoding, 32, 32);
    if (Scalars.isZero(s) || Scalars.compare(s, EdwardsPoint.ORDER_LIMBS) >= 0) {
      throw new InvalidEncodingException(
          EncodingError.SCALAR_OUT_OF_RANGE,
          "signature scalar S = 0x"
              + HexFormat.of().formatHex(encoding, 32, 64)
              + " is not in (0, l), l = "
              + EdwardsPoint.ORDER);
    }
    EdwardsPoint r = EdwardsPoint.decode(Arrays.copyOfRange(encoding, 0, 32));
    return new EdDsaSignature(r, Arrays.copyOfRange(encoding, 32, 64));
  }

  /**
   * The point R.
   *
   * @return R
   */
  public EdwardsPoint r() {
    return r;
  }

  /**
   * The scalar S.
   *
   * @return S
   */
  public BigInteger s() {
    return new BigInteger(1, s);
  }

  /**
   * The 64-byte encoding.
   *
   * @return a new array
   */
  public byte[] encode() {
    byte[] out = new byte[ENCODED_BYTES];
    System.arraycopy(r.encode(), 0, out, 0, 32);
    System.arraycopy(s, 0, out, 32, 32);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EdDsaSignature g && g.r.equals(r) && Arrays.equals(g.s, s);
  }

  @Override
  public int hashCode() {
    return r.hashCode() * 31 + Arrays.hashCode(s);
  }
}
