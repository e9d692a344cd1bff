package io.zkperp.protocol.message;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import java.util.Objects;

/** EdDSA over a one-element message hash, shared by the message records. Stateless; any thread. */
final class Signatures {
  private Signatures() {}

  /** Signs the hash; returns the 64-byte encoding. */
  static byte[] sign(EdDsaPrivateKey key, Fr hash) {
    return EdDsa.sign(key, hash).encode();
  }

  /**
   * True iff the signature over {@code H(separator, packed…)} is valid; false also for malformed
   * signature bytes. The verifier hashes the separator and the packed elements itself ({@link
   * SignatureVerifier#verifyHashed}): the native verifier does it in gnark-crypto, about three
   * times faster than Java's Poseidon2, so intake pays one native compression more than the cached
   * prefix would need instead of two Java ones.
   */
  static boolean verify(
      SignatureVerifier verifier,
      EdDsaPublicKey key,
      byte[] signature,
      MessageDomain domain,
      MessageType type,
      Fr[] packed) {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(signature, "signature");
    Fr[] fields = new Fr[packed.length + 1];
    fields[0] = domain.separator(type);
    System.arraycopy(packed, 0, fields, 1, packed.length);
    try {
      return verifier.verifyHashed(key, signature, fields);
    } catch (InvalidEncodingException e) {
      return false;
    }
  }
}
