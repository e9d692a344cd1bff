package io.zkperp.protocol.identity;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Derives a trader's L2 EdDSA key from the wallet's signature of the key typed data:
 *
 * <pre>
 * seed = Keccak-256( UTF-8("zkperp L2 key v1") ‖ r ‖ s )      r, s: 32 bytes big-endian, s ≤ n/2
 * key  = EdDsaPrivateKey.fromSeed(seed)                        (gnark-crypto eddsa.GenerateKey)
 * </pre>
 *
 * <p>v is not hashed (wallets encode it as 0/1 or 27/28) and a high s is first replaced by n − s
 * ({@link WalletSignature#parse}), so every encoding of one signature gives one key. Keccak-256 is
 * Ethereum's (the original Keccak padding), as {@code cast keccak} computes it.
 *
 * <p>Stateless; any thread.
 */
public final class L2KeyDerivation {
  /** The domain string hashed before r and s. */
  public static final String DOMAIN = "zkperp L2 key v1";

  private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.UTF_8);

  private L2KeyDerivation() {}

  /**
   * The 32-byte seed of the key.
   *
   * @param signature the parsed wallet signature
   * @return Keccak-256(domain ‖ r ‖ s), a new array (secret: never log it)
   */
  public static byte[] seed(WalletSignature signature) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(DOMAIN_BYTES, 0, DOMAIN_BYTES.length);
    d.update(signature.rBytes(), 0, 32);
    d.update(signature.sBytes(), 0, 32);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  /**
   * The L2 key of a wallet signature.
   *
   * @param signature the parsed wallet signature
   * @return the key
   */
  public static EdDsaPrivateKey privateKey(WalletSignature signature) {
    return EdDsaPrivateKey.fromSeed(seed(signature));
  }

  /**
   * The L2 key of a 65-byte wallet signature r ‖ s ‖ v.
   *
   * @param signature 65 bytes
   * @return the key
   * @throws io.zkperp.protocol.encoding.InvalidEncodingException if the signature is malformed
   *     ({@link WalletSignature#parse})
   */
  public static EdDsaPrivateKey privateKey(byte[] signature) {
    return privateKey(WalletSignature.parse(signature));
  }
}
