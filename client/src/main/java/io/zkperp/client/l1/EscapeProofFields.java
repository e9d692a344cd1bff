package io.zkperp.client.l1;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;

/**
 * Reads the integer fields of a {@code perp_getEscapeProof} result, for both formats ({@link
 * EscapeArgument}, {@link EscapeArgumentV3}): a JSON integer or a decimal string without leading
 * zeros, checked against the width of the contract's field. Stateless; any thread.
 */
final class EscapeProofFields {
  private EscapeProofFields() {}

  /**
   * An integer field.
   *
   * @param n the JSON value
   * @param name the field's name, for the error
   * @return its value
   * @throws IllegalArgumentException if it is neither a JSON integer nor a decimal string
   */
  static BigInteger integer(JsonNode n, String name) {
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue();
    }
    if (n.isTextual() && n.asText().matches("0|-?[1-9][0-9]*")) {
      return new BigInteger(n.asText());
    }
    throw new IllegalArgumentException("perp_getEscapeProof: " + name + " is not an integer: " + n);
  }

  /**
   * An unsigned field of {@code bits} bits.
   *
   * @param n the JSON value
   * @param name the field's name, for the error
   * @param bits the width
   * @return its value
   * @throws IllegalArgumentException if it is not an integer or not in [0, 2^bits)
   */
  static BigInteger uint(JsonNode n, String name, int bits) {
    BigInteger v = integer(n, name);
    if (v.signum() < 0 || v.bitLength() > bits) {
      throw new IllegalArgumentException(
          "perp_getEscapeProof: " + name + " " + v + " is not a uint" + bits);
    }
    return v;
  }
}
