package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.ticks.FundingPeriodStartStep;
import io.zkperp.batcher.v3.ticks.FundingTickStep;
import io.zkperp.batcher.v3.ticks.OracleTickStep;
import io.zkperp.batcher.v3.ticks.TickWitness;
import io.zkperp.protocol.field.Fr;
import java.util.Objects;

/**
 * An executed oracle tick, funding tick or funding period start as a format v3 batch step: its
 * elements are {@link TickStepElements}'s, its batch time must be the batch's T, and an oracle
 * tick's reports must have been verified for the batch's deployment. A funding period start goes to
 * its later slot group ({@link StepGroup#FUNDING_PERIOD_START}). Immutable; any thread.
 *
 * @param witness what {@link io.zkperp.batcher.v3.ticks.TickExecution} returned
 */
public record TickBatchStep(TickWitness witness) implements BatchStep {
  /** Validates that the witness is present. */
  public TickBatchStep {
    Objects.requireNonNull(witness, "witness");
  }

  @Override
  public int type() {
    return witness.publicData()[0] & 0xff;
  }

  @Override
  public byte[] publicData() {
    return witness.publicData();
  }

  @Override
  public Fr oldRoot() {
    return witness.rootsBefore().stateRoot();
  }

  @Override
  public Fr newRoot() {
    return witness.rootsAfter().stateRoot();
  }

  @Override
  public Fr priorityOperation() {
    return null;
  }

  @Override
  public void checkHeader(BatchHeaderV3 header, int index) throws BatchWitnessException {
    if (witness.batchTime() != header.batchTime()) {
      throw new BatchWitnessException(
          BatchWitnessError.BATCH_TIME,
          index,
          "the tick was checked against T = "
              + witness.batchTime()
              + ", the batch's T is "
              + Long.toUnsignedString(header.batchTime()));
    }
    if (witness.step() instanceof OracleTickStep && !header.domain().equals(witness.domain())) {
      throw new BatchWitnessException(
          BatchWitnessError.DOMAIN,
          index,
          "reports verified for " + witness.domain() + ", the batch is " + header.domain());
    }
  }

  @Override
  public StepElements elements(BatchShape shape, int index) throws BatchWitnessException {
    return switch (witness.step()) {
      case OracleTickStep o -> TickStepElements.oracle(witness, shape.reportSlots(), index);
      case FundingPeriodStartStep p -> TickStepElements.periodStart(witness, index);
      case FundingTickStep f -> TickStepElements.funding(witness, index);
    };
  }
}
