package io.zkperp.state.kv;

import java.util.HexFormat;

/**
 * Big-endian fixed-width integer helpers for keys and values.
 *
 * <p>Stateless; any thread.
 */
public final class Bytes {
  private static final HexFormat HEX = HexFormat.of();

  private Bytes() {}

  /**
   * Writes a long big-endian.
   *
   * @param b destination
   * @param off offset
   * @param v value
   */
  public static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  /**
   * Reads a big-endian long.
   *
   * @param b source
   * @param off offset
   * @return the value
   */
  public static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  /**
   * Writes an int big-endian.
   *
   * @param b destination
   * @param off offset
   * @param v value
   */
  public static void putInt(byte[] b, int off, int v) {
    for (int i = 3; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  /**
   * Reads a big-endian int.
   *
   * @param b source
   * @param off offset
   * @return the value
   */
  public static int getInt(byte[] b, int off) {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  /**
   * A long as a new 8-byte big-endian array.
   *
   * @param v the value
   * @return 8 bytes
   */
  public static byte[] ofLong(long v) {
    byte[] b = new byte[8];
    putLong(b, 0, v);
    return b;
  }

  /**
   * Lowercase hex of a byte array, with 0x.
   *
   * @param b the bytes
   * @return text
   */
  public static String hex(byte[] b) {
    return "0x" + HEX.formatHex(b);
  }
}
