package io.zkperp.batcher;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The 64 bytes of an EdDSA signature as a transaction carries them (compressed R ‖ S), not yet
 * decoded: decoding and verification are the batcher's job, so that a malformed signature is a
 * typed rejection rather than a constructor failure. Immutable (the bytes are copied); any thread.
 *
 * @param bytes the encoding
 */
public record SignatureBytes(byte[] bytes) {
  /** Copies the bytes. */
  public SignatureBytes {
    bytes = Objects.requireNonNull(bytes, "bytes").clone();
  }

  /**
   * The encoding.
   *
   * @return a copy
   */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignatureBytes s && Arrays.equals(s.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SignatureBytes[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
