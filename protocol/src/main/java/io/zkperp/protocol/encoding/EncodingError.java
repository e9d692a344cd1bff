package io.zkperp.protocol.encoding;

/**
 * Why a byte or text encoding was refused. Each constant names one rule of {@code
 * docs/state-layout.md}; tests and clients can switch on it instead of parsing messages.
 */
public enum EncodingError {
  /** The buffer is not exactly the length the format requires. */
  WRONG_LENGTH,
  /** A field element encoding whose value is not below the modulus r. */
  NON_CANONICAL_FIELD_ELEMENT,
  /** A text encoding (hex or decimal) that is not well formed. */
  MALFORMED_TEXT,
  /** An integer outside the range its type allows (u64, i64, an index beyond a tree's capacity). */
  OUT_OF_RANGE,
  /** A compressed point whose y coordinate is not below r. */
  POINT_Y_NOT_CANONICAL,
  /** A compressed point with no x on the curve for its y. */
  POINT_NOT_ON_CURVE,
  /** A compressed point with x = 0 and the sign bit set (negative zero). */
  POINT_NEGATIVE_ZERO,
  /** A point on the curve but outside the prime-order subgroup. */
  POINT_NOT_IN_SUBGROUP,
  /** The identity point where a public key is required. */
  POINT_IDENTITY,
  /** A signature scalar S that is zero or not below the subgroup order l. */
  SCALAR_OUT_OF_RANGE,
  /** A private key whose scalar is not clamped or does not match its public key. */
  INVALID_PRIVATE_KEY
}
