package io.zkperp.protocol.state;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 20-byte Ethereum (L1) address. In the state it is the field element whose big-endian value is
 * the address.
 *
 * <p>Immutable; any thread.
 */
public final class L1Address {
  /** Length in bytes. */
  public static final int BYTES = 20;

  /** The zero address. */
  public static final L1Address ZERO = new L1Address(new byte[BYTES]);

  private final byte[] bytes;

  private L1Address(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Wraps 20 bytes.
   *
   * @param bytes exactly 20 bytes (copied)
   * @return the address
   * @throws InvalidEncodingException if the length is not 20
   */
  public static L1Address of(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new InvalidEncodingException(
          EncodingError.WRONG_LENGTH, "an L1 address is 20 bytes, got " + bytes.length);
    }
    return new L1Address(bytes.clone());
  }

  /**
   * Parses {@code 0x} and 40 hex digits (either case; no checksum is required).
   *
   * @param hex the text
   * @return the address
   * @throws InvalidEncodingException if the text is not 0x and 40 hex digits
   */
  public static L1Address fromHex(String hex) {
    if (!hex.startsWith("0x") || hex.length() != 42) {
      throw new InvalidEncodingException(
          EncodingError.MALFORMED_TEXT, "an L1 address is 0x and 40 hex digits, got '" + hex + "'");
    }
    try {
      return new L1Address(HexFormat.of().parseHex(hex, 2, 42));
    } catch (IllegalArgumentException e) {
      throw new InvalidEncodingException(
          EncodingError.MALFORMED_TEXT, "an L1 address is 0x and 40 hex digits, got '" + hex + "'");
    }
  }

  /**
   * Decodes the field-element form.
   *
   * @param element an element below 2^160
   * @return the address
   * @throws InvalidEncodingException if the element is 2^160 or more
   */
  public static L1Address fromField(Fr element) {
    byte[] b = element.toBytes();
    for (int i = 0; i < Fr.BYTES - BYTES; i++) {
      if (b[i] != 0) {
        throw new InvalidEncodingException(
            EncodingError.OUT_OF_RANGE, element + " is not a 160-bit L1 address");
      }
    }
    return new L1Address(Arrays.copyOfRange(b, Fr.BYTES - BYTES, Fr.BYTES));
  }

  /**
   * The field element whose value is this address.
   *
   * @return the element
   */
  public Fr toField() {
    byte[] b = new byte[Fr.BYTES];
    System.arraycopy(bytes, 0, b, Fr.BYTES - BYTES, BYTES);
    return Fr.fromBytes(b);
  }

  /**
   * The 20 bytes.
   *
   * @return a copy
   */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * {@code 0x} and 40 lowercase hex digits.
   *
   * @return the text
   */
  public String toHex() {
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L1Address a && Arrays.equals(a.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
