package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.field.Fr;
import java.util.List;
import java.util.Objects;

/**
 * A sealed format v3 batch as {@link BatchWitnessEncoder} writes it: the tables, the commitment
 * bytes and public input, and the whole {@code ZKW3} witness the Go prover decodes ({@code
 * batchv3.Decode}). Immutable (arrays are copied); any thread.
 *
 * @param shape the shape
 * @param roots R₀ … R_S
 * @param priority P₀ … P_S
 * @param priorityCount the priority operations the live steps consumed
 * @param commitment the commitment bytes ({@link BatchCommitmentV3})
 * @param publicInput the public input
 * @param witness the encoded witness
 */
public record BatchWitnessV3(
    BatchShape shape,
    List<Fr> roots,
    List<Fr> priority,
    int priorityCount,
    byte[] commitment,
    Fr publicInput,
    byte[] witness) {
  /** Copies the tables and arrays. */
  public BatchWitnessV3 {
    Objects.requireNonNull(shape, "shape");
    roots = List.copyOf(roots);
    priority = List.copyOf(priority);
    commitment = commitment.clone();
    Objects.requireNonNull(publicInput, "publicInput");
    witness = witness.clone();
  }

  /**
   * The commitment bytes.
   *
   * @return a copy
   */
  @Override
  public byte[] commitment() {
    return commitment.clone();
  }

  /**
   * The encoded witness.
   *
   * @return a copy
   */
  @Override
  public byte[] witness() {
    return witness.clone();
  }

  /**
   * The state root after the batch.
   *
   * @return R_S
   */
  public Fr newRoot() {
    return roots.get(roots.size() - 1);
  }
}
