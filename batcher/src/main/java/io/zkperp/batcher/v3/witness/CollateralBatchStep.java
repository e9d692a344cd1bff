package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.CollateralStepWitness;
import io.zkperp.batcher.v3.ExecutedStep;
import io.zkperp.batcher.v3.TransferTransaction;
import io.zkperp.batcher.v3.WithdrawalTransaction;
import io.zkperp.protocol.field.Fr;
import java.util.Objects;

/**
 * An executed collateral transaction as a format v3 batch step: its type byte is its public data's
 * first, its elements {@link CollateralStepElements} with the shape's K, and a withdrawal or
 * transfer must have been executed (its signature verified) for the batch's deployment. Immutable;
 * any thread.
 *
 * @param witness what {@link io.zkperp.batcher.v3.CollateralExecution} returned
 */
public record CollateralBatchStep(CollateralStepWitness witness) implements ExecutedBatchStep {
  /** Validates that the witness is present. */
  public CollateralBatchStep {
    Objects.requireNonNull(witness, "witness");
  }

  @Override
  public ExecutedStep executed() {
    return witness;
  }

  @Override
  public Fr priorityOperation() {
    return witness.priorityOperation();
  }

  @Override
  public void checkHeader(BatchHeaderV3 header, int index) throws BatchWitnessException {
    boolean signed =
        witness.transaction() instanceof WithdrawalTransaction
            || witness.transaction() instanceof TransferTransaction;
    if (signed && !header.domain().equals(witness.domain())) {
      throw new BatchWitnessException(
          BatchWitnessError.DOMAIN,
          index,
          "signed for " + witness.domain() + ", the batch is " + header.domain());
    }
  }

  @Override
  public StepElements elements(BatchShape shape, int index) throws BatchWitnessException {
    return CollateralStepElements.of(witness, shape.k(), index);
  }
}
