package io.zkperp.protocol.eddsa;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;

/**
 * The Java {@link SignatureVerifier}: {@link EdDsa#verify(EdDsaPublicKey, byte[], Fr...)}, with the
 * comb tables of frequent signers kept in a {@link PublicKeyTableCache}. Thread-safe.
 */
public final class JavaSignatureVerifier implements SignatureVerifier {
  private final PublicKeyTableCache<PublicKeyTable> tables;

  /**
   * A verifier.
   *
   * @param keyTables the most signers whose tables it keeps (≥ 1; about 230 KB each)
   */
  public JavaSignatureVerifier(int keyTables) {
    this.tables = PublicKeyTableCache.ofJavaTables(keyTables);
  }

  @Override
  public boolean verify(EdDsaPublicKey key, byte[] signature, Fr... message) {
    PublicKeyTable table = tables.table(key); // null for a key that does not sign often
    return table != null
        ? EdDsa.verify(table, signature, message)
        : EdDsa.verify(key, signature, message);
  }

  @Override
  public boolean verifyHashed(EdDsaPublicKey key, byte[] signature, Fr... fields) {
    return verify(key, signature, Poseidon2.hash(fields));
  }

  @Override
  public String description() {
    return "Java";
  }
}
