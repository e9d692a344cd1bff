package io.zkperp.prover;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.PublicKeyTableCache;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.nio.ByteBuffer;

/**
 * A {@link SignatureVerifier} over gnark-crypto's assembly field arithmetic (Go package {@code
 * sigverify} in {@code libzkprover.so}): the same equation as the Java reference ({@link
 * io.zkperp.protocol.eddsa.EdDsa#verify(EdDsaPublicKey, byte[], Fr...)}: strict decoding of R
 * without a subgroup check, then R = [S]B − [c]A exactly), about four times faster. Frequent
 * signers get a comb table in native memory (a direct buffer of 92 KB, freed by the garbage
 * collector once the cache drops it), admitted by the same {@link PublicKeyTableCache} rule as the
 * Java verifier's.
 *
 * <p>A malformed signature is re-decoded in Java to report the same {@link
 * io.zkperp.protocol.encoding.InvalidEncodingException} the reference does. Thread-safe: any number
 * of threads may verify at once.
 */
public final class NativeSignatureVerifier implements SignatureVerifier {
  private final PublicKeyTableCache<ByteBuffer> tables;
  private final int tableBytes;

  private NativeSignatureVerifier(int keyTables) {
    this.tableBytes = NativeEdDsa.tableBytes();
    this.tables = new PublicKeyTableCache<>(keyTables, this::buildTable);
  }

  /**
   * Loads the native library if needed and returns a verifier.
   *
   * @param keyTables the most signers whose tables it keeps (≥ 1; 92 KB of native memory each)
   * @return the verifier
   * @throws NativeLibraryException if the library cannot be loaded here
   */
  public static NativeSignatureVerifier load(int keyTables) {
    NativeLibrary.load();
    return new NativeSignatureVerifier(keyTables);
  }

  private ByteBuffer buildTable(EdDsaPublicKey key) {
    ByteBuffer table = ByteBuffer.allocateDirect(tableBytes);
    int rc = NativeEdDsa.buildTable(keyBytes(key), table);
    if (rc != NativeEdDsa.OK) {
      throw new IllegalStateException("native key table build failed with code " + rc);
    }
    return table;
  }

  @Override
  public boolean verify(EdDsaPublicKey key, byte[] signature, Fr... message) {
    return call(key, signature, message, false);
  }

  @Override
  public boolean verifyHashed(EdDsaPublicKey key, byte[] signature, Fr... fields) {
    return call(key, signature, fields, true);
  }

  @Override
  public String description() {
    return "native (gnark-crypto over JNI)";
  }

  private boolean call(EdDsaPublicKey key, byte[] signature, Fr[] message, boolean prehash) {
    if (message.length < 1 || message.length > NativeEdDsa.MAX_MESSAGE) {
      throw new IllegalArgumentException(
          "1 to " + NativeEdDsa.MAX_MESSAGE + " message elements, got " + message.length);
    }
    byte[] m = new byte[message.length * Fr.BYTES];
    for (int i = 0; i < message.length; i++) {
      message[i].writeBytes(m, i * Fr.BYTES);
    }
    int rc = NativeEdDsa.verify(keyBytes(key), tables.table(key), signature, m, prehash);
    return switch (rc) {
      case NativeEdDsa.VALID -> true;
      case NativeEdDsa.INVALID -> false;
      case NativeEdDsa.MALFORMED -> {
        // the reference throws its precise InvalidEncodingException
        boolean reference =
            EdDsa.verify(key, signature, prehash ? new Fr[] {Poseidon2.hash(message)} : message);
        throw new IllegalStateException(
            "the native verifier calls a signature malformed that the Java reference "
                + (reference ? "accepts" : "rejects without an encoding error")
                + "; please report");
      }
      default -> throw new IllegalStateException("native verifier failed with code " + rc);
    };
  }

  private static byte[] keyBytes(EdDsaPublicKey key) {
    byte[] b = new byte[2 * Fr.BYTES];
    key.point().x().writeBytes(b, 0);
    key.point().y().writeBytes(b, Fr.BYTES);
    return b;
  }
}
