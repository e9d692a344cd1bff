package io.zkperp.protocol.eddsa;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import java.util.Objects;

/**
 * A trader's L2 EdDSA public key: a point of the prime-order subgroup other than the identity.
 * Every instance has passed those checks, so verifiers need not repeat them.
 *
 * <p>Immutable; any thread.
 */
public final class EdDsaPublicKey {
  private final EdwardsPoint point;

  private EdDsaPublicKey(EdwardsPoint point) {
    this.point = point;
  }

  /**
   * Validates a point as a public key.
   *
   * @param point the point A
   * @return the key
   * @throws InvalidEncodingException with POINT_IDENTITY or POINT_NOT_IN_SUBGROUP
   */
  public static EdDsaPublicKey of(EdwardsPoint point) {
    Objects.requireNonNull(point, "point");
    if (point.isIdentity()) {
      throw new InvalidEncodingException(
          EncodingError.POINT_IDENTITY, "the identity point is not a valid public key");
    }
    if (!point.isInSubgroup()) {
      throw new InvalidEncodingException(
          EncodingError.POINT_NOT_IN_SUBGROUP,
          "public key " + point + " is not in the prime-order subgroup");
    }
    return new EdDsaPublicKey(point);
  }

  /**
   * Validates affine coordinates as a public key (the form stored in account leaves).
   *
   * @param x affine x
   * @param y affine y
   * @return the key
   * @throws InvalidEncodingException if not on the curve, the identity, or outside the subgroup
   */
  public static EdDsaPublicKey of(Fr x, Fr y) {
    return of(EdwardsPoint.of(x, y));
  }

  /**
   * Strictly decodes a compressed public key.
   *
   * @param encoding 32 bytes
   * @return the key
   * @throws InvalidEncodingException if the encoding or the point is not valid
   */
  public static EdDsaPublicKey decode(byte[] encoding) {
    return of(EdwardsPoint.decode(encoding));
  }

  /**
   * The point A.
   *
   * @return the point
   */
  public EdwardsPoint point() {
    return point;
  }

  /**
   * The 32-byte compressed encoding (gnark-crypto {@code PublicKey.Bytes()}).
   *
   * @return a new array
   */
  public byte[] encode() {
    return point.encode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EdDsaPublicKey k && k.point.equals(point);
  }

  @Override
  public int hashCode() {
    return point.hashCode();
  }

  @Override
  public String toString() {
    return "EdDsaPublicKey" + point;
  }
}
