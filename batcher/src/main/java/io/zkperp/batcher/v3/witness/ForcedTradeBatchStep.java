package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.ExecutedStep;
import io.zkperp.batcher.v3.ForcedTradeOutcome;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import java.util.Objects;

/**
 * A decided forced trade as a format v3 batch step (slot group {@link StepGroup#FORCED_TRADE}): its
 * record is {@code forcedtrade.PublicData} with the reason, it consumes its priority operation
 * whether it executed or was invalid, and its elements are {@link ForcedTradeStepElements}'s. B's
 * signature was checked for {@code domain}, which must be the batch's. Immutable; any thread.
 *
 * @param outcome what {@link io.zkperp.batcher.v3.ForcedTradeExecution#execute} returned
 * @param domain the deployment the execution was created for
 */
public record ForcedTradeBatchStep(ForcedTradeOutcome outcome, MessageDomain domain)
    implements ExecutedBatchStep {
  /** Validates that nothing is null. */
  public ForcedTradeBatchStep {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(domain, "domain");
  }

  @Override
  public ExecutedStep executed() {
    return outcome;
  }

  @Override
  public Fr priorityOperation() {
    return outcome.opHash();
  }

  @Override
  public void checkHeader(BatchHeaderV3 header, int index) throws BatchWitnessException {
    TradeBatchStep.checkDomain(domain, header, index, "B's signature checked");
  }

  @Override
  public StepElements elements(BatchShape shape, int index) throws BatchWitnessException {
    return ForcedTradeStepElements.of(outcome, shape.n(), shape.k(), index);
  }
}
