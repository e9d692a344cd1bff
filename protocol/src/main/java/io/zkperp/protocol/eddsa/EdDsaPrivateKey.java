package io.zkperp.protocol.eddsa;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * A trader's L2 EdDSA private key, derived from a 32-byte seed exactly as gnark-crypto's {@code
 * eddsa.GenerateKey}: h = BLAKE2b-512(seed); the scalar is h[0..32) read little-endian after
 * clamping, randSrc = h[32..64) seeds the deterministic per-message nonce.
 *
 * <p>Immutable; any thread. Holds secret material: never log it.
 */
public final class EdDsaPrivateKey {
  /** Length of the seed. */
  public static final int SEED_BYTES = 32;

  /** Length of {@link #encode()}: public key ‖ scalar ‖ randSrc, as gnark-crypto. */
  public static final int ENCODED_BYTES = 96;

  private final BigInteger scalar;
  private final byte[] randSrc;
  private final EdDsaPublicKey publicKey;

  private EdDsaPrivateKey(BigInteger scalar, byte[] randSrc, EdDsaPublicKey publicKey) {
    this.scalar = scalar;
    this.randSrc = randSrc;
    this.publicKey = publicKey;
  }

  /**
   * Derives the key from a seed.
   *
   * @param seed exactly 32 bytes of secret randomness
   * @return the key
   * @throws InvalidEncodingException if the seed is not 32 bytes
   */
  public static EdDsaPrivateKey fromSeed(byte[] seed) {
    if (seed.length != SEED_BYTES) {
      throw new InvalidEncodingException(
          EncodingError.WRONG_LENGTH, "a key seed is 32 bytes, got " + seed.length);
    }
    byte[] h = blake2b512(seed);
    h[0] &= (byte) 0xF8;
    h[31] &= 0x7F;
    h[31] |= 0x40;
    byte[] scalarBe = new byte[32];
    for (int i = 0; i < 32; i++) {
      scalarBe[i] = h[31 - i];
    }
    BigInteger scalar = new BigInteger(1, scalarBe);
    EdwardsPoint a = EdwardsPoint.multiplyBase(scalar);
    return new EdDsaPrivateKey(scalar, Arrays.copyOfRange(h, 32, 64), EdDsaPublicKey.of(a));
  }

  /**
   * Parses gnark-crypto's {@code PrivateKey.Bytes()} form: public key (32) ‖ scalar (32,
   * big-endian) ‖ randSrc (32), checking that the scalar is clamped and matches the public key.
   *
   * @param encoding 96 bytes
   * @return the key
   * @throws InvalidEncodingException if malformed or inconsistent
   */
  public static EdDsaPrivateKey decode(byte[] encoding) {
    if (encoding.length != ENCODED_BYTES) {
      throw new InvalidEncodingException(
          EncodingError.WRONG_LENGTH, "a private key is 96 bytes, got " + encoding.length);
    }
    EdDsaPublicKey pub = EdDsaPublicKey.decode(Arrays.copyOfRange(encoding, 0, 32));
    if ((encoding[63] & 0x07) != 0 || (encoding[32] & 0x80) != 0 || (encoding[32] & 0x40) == 0) {
      throw new InvalidEncodingException(
          EncodingError.INVALID_PRIVATE_KEY, "the private scalar is not clamped");
    }
    BigInteger scalar = new BigInteger(1, Arrays.copyOfRange(encoding, 32, 64));
    if (!EdwardsPoint.multiplyBase(scalar).equals(pub.point())) {
      throw new InvalidEncodingException(
          EncodingError.INVALID_PRIVATE_KEY, "the private scalar does not match the public key");
    }
    return new EdDsaPrivateKey(scalar, Arrays.copyOfRange(encoding, 64, 96), pub);
  }

  /**
   * The matching public key.
   *
   * @return the public key
   */
  public EdDsaPublicKey publicKey() {
    return publicKey;
  }

  /**
   * The secret scalar (for tests and key export; never log it).
   *
   * @return the clamped scalar
   */
  public BigInteger scalar() {
    return scalar;
  }

  /**
   * The 32 bytes that seed the per-message nonce.
   *
   * @return a copy
   */
  public byte[] randSrc() {
    return randSrc.clone();
  }

  /**
   * gnark-crypto's 96-byte form: public key ‖ scalar ‖ randSrc.
   *
   * @return a new array
   */
  public byte[] encode() {
    byte[] out = new byte[ENCODED_BYTES];
    System.arraycopy(publicKey.encode(), 0, out, 0, 32);
    byte[] sb = scalar.toByteArray();
    int n = Math.min(sb.length, 32);
    System.arraycopy(sb, sb.length - n, out, 64 - n, n);
    System.arraycopy(randSrc, 0, out, 64, 32);
    return out;
  }

  static byte[] blake2b512(byte[]... parts) {
    Blake2bDigest d = new Blake2bDigest(512);
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[64];
    d.doFinal(out, 0);
    return out;
  }

  @Override
  public String toString() {
    return "EdDsaPrivateKey[public=" + publicKey + "]";
  }
}
