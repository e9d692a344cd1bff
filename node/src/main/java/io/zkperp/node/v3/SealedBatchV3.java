package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchCommitmentV3;
import io.zkperp.batcher.v3.witness.BatchHeaderV3;
import io.zkperp.batcher.v3.witness.BatchWitnessV3;
import io.zkperp.protocol.field.Fr;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A format v3 batch {@link BatchAssembler} sealed: its header, the encoder's witness (witness
 * bytes, roots, priority chain, commitment, public input) and where each live step came from.
 * Immutable; any thread.
 *
 * @param shapeName the shape's name (the prover's, e.g. {@code v3-tiny})
 * @param header the header the batch was sealed with (number, T, P₀, R₀)
 * @param witness the encoder's output
 * @param origins the live steps in execution order: command sequence and step index
 */
public record SealedBatchV3(
    String shapeName, BatchHeaderV3 header, BatchWitnessV3 witness, List<StepOrigin> origins) {

  /**
   * Where a live step of a batch came from.
   *
   * @param seq the command's journal sequence
   * @param step the step's index among the command's steps
   * @param kind the step's kind ({@code Trade}, {@code Collateral}, {@code Oracle}, {@code
   *     Funding})
   */
  public record StepOrigin(long seq, int step, String kind) {
    /** Checks for null. */
    public StepOrigin {
      Objects.requireNonNull(kind, "kind");
    }
  }

  /** Checks for null and copies the origins. */
  public SealedBatchV3 {
    Objects.requireNonNull(shapeName, "shapeName");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(witness, "witness");
    origins = List.copyOf(origins);
  }

  /**
   * The batch number.
   *
   * @return the number
   */
  public long batchNumber() {
    return header.batchNumber();
  }

  /**
   * The batch time T.
   *
   * @return Unix seconds of the engine's clock
   */
  public long batchTime() {
    return header.batchTime();
  }

  /**
   * The state root after the batch.
   *
   * @return R_S
   */
  public Fr newRoot() {
    return witness.newRoot();
  }

  /**
   * The priority-operation hash after the batch.
   *
   * @return P_S
   */
  public Fr priorityAfter() {
    List<Fr> p = witness.priority();
    return p.get(p.size() - 1);
  }

  /**
   * The records as L1 takes them: every slot's record (live steps, then the no-ops) in execution
   * order, each zero-padded to the shape's width — the commitment bytes after its header.
   *
   * @return a new array
   */
  public byte[] records() {
    byte[] c = witness.commitment();
    return Arrays.copyOfRange(c, BatchCommitmentV3.HEADER_BYTES, c.length);
  }

  /**
   * How many live (not padding) steps the batch holds.
   *
   * @return the count
   */
  public int liveSteps() {
    return origins.size();
  }
}
