package io.zkperp.prover.worker;

import java.util.Objects;

/**
 * One proving job: prove the witness of batches {@link JobId#firstBatch()}..{@link
 * JobId#lastBatch()} with the circuit shape {@code shape}. Treat as immutable: {@link #witness()}
 * returns the array itself, which must not be modified.
 *
 * @param id the job id; its hash is the SHA-256 of {@code witness}
 * @param shape the circuit shape name (1 to 32 ASCII letters, digits, '-' or '_')
 * @param witness the witness bytes
 */
public record ProofJob(JobId id, String shape, byte[] witness) {

  /**
   * Validates the job.
   *
   * @throws IllegalArgumentException if the shape name is invalid or the id does not match the
   *     witness
   */
  public ProofJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(witness, "witness");
    if (!shape.matches("[A-Za-z0-9_-]{1,32}")) {
      throw new IllegalArgumentException("invalid shape name: " + shape);
    }
    if (!JobId.of(id.firstBatch(), id.lastBatch(), witness).equals(id)) {
      throw new IllegalArgumentException("job id " + id + " does not match the witness hash");
    }
  }

  /**
   * Creates a job, computing its id.
   *
   * @param firstBatch first batch number
   * @param lastBatch last batch number
   * @param shape the circuit shape
   * @param witness the witness bytes (not copied)
   * @return the job
   */
  public static ProofJob of(long firstBatch, long lastBatch, String shape, byte[] witness) {
    return new ProofJob(JobId.of(firstBatch, lastBatch, witness), shape, witness);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProofJob j
        && id.equals(j.id)
        && shape.equals(j.shape)
        && java.util.Arrays.equals(witness, j.witness);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + shape.hashCode();
  }

  @Override
  public String toString() {
    return "ProofJob[" + id + ", shape=" + shape + ", witness=" + witness.length + " bytes]";
  }
}
