package io.zkperp.protocol.eddsa;

import io.zkperp.protocol.field.Fr;

/**
 * Verifies encoded zkperp EdDSA signatures. Every implementation gives exactly the answers of
 * {@link EdDsa#verify(EdDsaPublicKey, byte[], Fr...)}, the reference: {@link JavaSignatureVerifier}
 * in Java, and a native one over gnark-crypto in {@code prover-bridge}, which is about four times
 * faster and is what the sequencer's intake uses where the library is available.
 *
 * <p>Implementations are thread-safe: the sequencer's intake threads call them concurrently.
 */
public interface SignatureVerifier {
  /**
   * Verifies a signature over message elements.
   *
   * @param key the signer's public key
   * @param signature the 64-byte encoding
   * @param message the message elements (1 to 16)
   * @return true iff the signature is valid
   * @throws io.zkperp.protocol.encoding.InvalidEncodingException if the bytes are malformed, with
   *     the same error {@link EdDsaSignature#decode} reports
   */
  boolean verify(EdDsaPublicKey key, byte[] signature, Fr... message);

  /**
   * Verifies a signature over the one-element message H(fields…) (Poseidon2 Merkle–Damgård, {@link
   * io.zkperp.protocol.hash.Poseidon2#hash}): how orders and cancels are signed.
   *
   * @param key the signer's public key
   * @param signature the 64-byte encoding
   * @param fields the hashed fields (1 to 16)
   * @return true iff the signature is valid
   * @throws io.zkperp.protocol.encoding.InvalidEncodingException if the bytes are malformed
   */
  boolean verifyHashed(EdDsaPublicKey key, byte[] signature, Fr... fields);

  /**
   * What this verifier runs on, for logs and benchmark reports.
   *
   * @return a short description, e.g. "Java"
   */
  String description();
}
