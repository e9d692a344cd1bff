package io.zkperp.protocol.state;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;

/** Big-endian fixed-width helpers for the records' binary forms. */
final class Bytes8 {
  private Bytes8() {}

  static void put(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long get(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  static void requireLength(byte[] b, int length, String what) {
    if (b.length != length) {
      throw new InvalidEncodingException(
          EncodingError.WRONG_LENGTH,
          "a " + what + " record is " + length + " bytes, got " + b.length);
    }
  }
}
