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

  /** True iff the signature over the hash is valid; false also for malformed signature bytes. */
  static boolean verify(SignatureVerifier verifier, EdDsaPublicKey key, byte[] signature, Fr hash) {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(signature, "signature");
    try {
      return verifier.verify(key, signature, hash);
    } catch (InvalidEncodingException e) {
      return false;
    }
  }
}
