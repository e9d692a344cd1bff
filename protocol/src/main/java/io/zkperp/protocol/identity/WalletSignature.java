package io.zkperp.protocol.identity;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * An Ethereum ECDSA (secp256k1) signature in the 65-byte form wallets return: r (32 bytes,
 * big-endian) ‖ s (32) ‖ v (1, one of 0, 1, 27, 28). Parsing checks 0 &lt; r, s &lt; n and
 * normalises s to the lower half (s &gt; n/2 becomes n − s, with the recovery bit flipped), the
 * form EIP-2 requires and {@code cast} and web3j produce, so the two encodings of one signature
 * parse to the same value.
 *
 * <p>Nothing here checks that the signature verifies: that needs the signed hash, which the client
 * computes (EIP-712). Immutable; any thread.
 *
 * @param r the r value, 0 &lt; r &lt; n
 * @param s the s value, 0 &lt; s ≤ n/2
 * @param recoveryId 0 or 1, after normalisation
 */
public record WalletSignature(BigInteger r, BigInteger s, int recoveryId) {
  /** Length of the encoded signature. */
  public static final int BYTES = 65;

  /** The order n of secp256k1's group. */
  public static final BigInteger SECP256K1_ORDER =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  private static final BigInteger HALF_ORDER = SECP256K1_ORDER.shiftRight(1);

  /**
   * Checks the ranges.
   *
   * @throws InvalidEncodingException if r or s is outside (0, n), s above n/2, or the recovery id
   *     not 0 or 1
   */
  public WalletSignature {
    checkScalar("r", r);
    checkScalar("s", s);
    if (s.compareTo(HALF_ORDER) > 0) {
      throw new InvalidEncodingException(
          EncodingError.OUT_OF_RANGE, "s is above n/2: normalise it (parse does)");
    }
    if (recoveryId != 0 && recoveryId != 1) {
      throw new InvalidEncodingException(
          EncodingError.OUT_OF_RANGE, "the recovery id is 0 or 1, got " + recoveryId);
    }
  }

  /**
   * Parses r ‖ s ‖ v, normalising a high s.
   *
   * @param signature 65 bytes
   * @return the signature with s ≤ n/2
   * @throws InvalidEncodingException if not 65 bytes, v not one of 0, 1, 27, 28, or r or s out of
   *     range
   */
  public static WalletSignature parse(byte[] signature) {
    if (signature.length != BYTES) {
      throw new InvalidEncodingException(
          EncodingError.WRONG_LENGTH,
          "a wallet signature is 65 bytes (r ‖ s ‖ v), got " + signature.length);
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    int v = signature[64] & 0xFF;
    int recoveryId =
        switch (v) {
          case 0, 27 -> 0;
          case 1, 28 -> 1;
          default ->
              throw new InvalidEncodingException(
                  EncodingError.OUT_OF_RANGE, "v is 0, 1, 27 or 28, got " + v);
        };
    checkScalar("r", r);
    checkScalar("s", s);
    if (s.compareTo(HALF_ORDER) > 0) {
      s = SECP256K1_ORDER.subtract(s);
      recoveryId ^= 1;
    }
    return new WalletSignature(r, s, recoveryId);
  }

  /**
   * r ‖ s ‖ v with v = 27 + recovery id (the form {@code cast wallet sign} prints).
   *
   * @return 65 new bytes
   */
  public byte[] encode() {
    byte[] out = new byte[BYTES];
    System.arraycopy(be32(r), 0, out, 0, 32);
    System.arraycopy(be32(s), 0, out, 32, 32);
    out[64] = (byte) (27 + recoveryId);
    return out;
  }

  /**
   * r as 32 big-endian bytes.
   *
   * @return a new array
   */
  public byte[] rBytes() {
    return be32(r);
  }

  /**
   * s (normalised) as 32 big-endian bytes.
   *
   * @return a new array
   */
  public byte[] sBytes() {
    return be32(s);
  }

  private static void checkScalar(String name, BigInteger value) {
    if (value == null || value.signum() <= 0 || value.compareTo(SECP256K1_ORDER) >= 0) {
      throw new InvalidEncodingException(
          EncodingError.OUT_OF_RANGE, name + " must be in (0, n) of secp256k1");
    }
  }

  private static byte[] be32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  @Override
  public String toString() {
    // the signature derives a secret key: never print it
    return "WalletSignature[redacted]";
  }
}
