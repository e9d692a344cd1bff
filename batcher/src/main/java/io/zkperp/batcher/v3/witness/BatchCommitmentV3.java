package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.field.Fr;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The format v3 commitment ({@code batchv3.Witness.CommitmentBytes}, {@code PublicInput}): the
 * header R₀ ‖ R_S ‖ batch number (8) ‖ T (8) ‖ P₀ ‖ P_S ‖ priority count (4), then every record in
 * execution order; the public input is its SHA-256 with the top three bits cleared. Stateless; any
 * thread.
 */
public final class BatchCommitmentV3 {
  /** The header's length: 32 + 32 + 8 + 8 + 32 + 32 + 4. */
  public static final int HEADER_BYTES = 148;

  private BatchCommitmentV3() {}

  /**
   * The commitment bytes.
   *
   * @param roots R₀ … R_S
   * @param priority P₀ … P_S
   * @param batchNumber the batch number
   * @param batchTime T
   * @param priorityCount the priority operations consumed
   * @param records S records of equal width, execution order
   * @return the bytes
   */
  public static byte[] bytes(
      List<Fr> roots,
      List<Fr> priority,
      long batchNumber,
      long batchTime,
      int priorityCount,
      List<byte[]> records) {
    int width = records.isEmpty() ? 0 : records.get(0).length;
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + records.size() * width);
    b.put(roots.get(0).toBytes()).put(roots.get(roots.size() - 1).toBytes());
    b.putLong(batchNumber).putLong(batchTime);
    b.put(priority.get(0).toBytes()).put(priority.get(priority.size() - 1).toBytes());
    b.putInt(priorityCount);
    records.forEach(b::put);
    return b.array();
  }

  /**
   * The public input of commitment bytes: SHA-256, top three bits cleared (below 2^253 &lt; r).
   *
   * @param commitment the commitment bytes
   * @return the field element
   */
  public static Fr publicInput(byte[] commitment) {
    byte[] d = sha256(commitment);
    d[0] &= 0x1f;
    return Fr.fromBytes(d);
  }

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is a required JDK algorithm", e);
    }
  }
}
