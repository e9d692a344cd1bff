package io.zkperp.protocol.eddsa;

/**
 * A public key with the comb table of its point, for verifying many signatures of one signer:
 * {@link EdDsa#verify(PublicKeyTable, byte[], io.zkperp.protocol.field.Fr...)} then computes [c]A
 * with at most 64 additions instead of about 330 doublings and additions, and accepts exactly what
 * {@link EdDsa#verify(EdDsaPublicKey, byte[], io.zkperp.protocol.field.Fr...)} accepts. A table
 * takes about 200 KB and a millisecond to build, so callers keep a bounded number of them ({@link
 * PublicKeyTableCache}). Immutable; any thread.
 */
public final class PublicKeyTable {
  private final EdDsaPublicKey key;
  final CombTable table;

  private PublicKeyTable(EdDsaPublicKey key, CombTable table) {
    this.key = key;
    this.table = table;
  }

  /**
   * Builds the table of a key (about a millisecond).
   *
   * @param key the public key
   * @return the key with its table
   */
  public static PublicKeyTable of(EdDsaPublicKey key) {
    return new PublicKeyTable(key, CombTable.of(key.point()));
  }

  /**
   * The key.
   *
   * @return the public key
   */
  public EdDsaPublicKey key() {
    return key;
  }
}
