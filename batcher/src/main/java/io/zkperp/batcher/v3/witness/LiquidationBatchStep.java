package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.ExecutedStep;
import io.zkperp.batcher.v3.MarketTerms;
import io.zkperp.batcher.v3.liquidation.LiquidationExecution;
import io.zkperp.batcher.v3.liquidation.LiquidationFill;
import io.zkperp.batcher.v3.liquidation.LiquidationRefusedException;
import io.zkperp.batcher.v3.liquidation.LiquidationTransaction;
import io.zkperp.batcher.v3.liquidation.LiquidationWitness;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.v2.StateBatchV2;
import java.util.Map;
import java.util.Objects;

/**
 * An executed liquidation fill, insurance takeover or deleveraging as a format v3 batch step (slot
 * groups {@link StepGroup#LIQUIDATION}, {@link StepGroup#TAKEOVER}, {@link
 * StepGroup#DELEVERAGING}): its record is the execution's public data, its elements {@link
 * LiquidationStepElements}'s or {@link MoveStepElements}'s over the markets as they were before the
 * step; a fill's order must have been verified for the batch's deployment and its fee rate must be
 * the shape's. Immutable (the market map is copied); any thread.
 *
 * @param witness what {@link LiquidationExecution#execute} returned
 * @param marketsBefore every listed market before the step, by id ({@link #marketsOf})
 * @param domain the deployment the execution was created for
 * @param feePpm the liquidation fee rate the execution was created with
 */
public record LiquidationBatchStep(
    LiquidationWitness witness,
    Map<Integer, MarketV2> marketsBefore,
    MessageDomain domain,
    long feePpm)
    implements ExecutedBatchStep {
  /** Validates that nothing is null and copies the markets. */
  public LiquidationBatchStep {
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(domain, "domain");
    marketsBefore = Map.copyOf(marketsBefore);
  }

  /**
   * Every listed market of an open batch, by id: what a step executed next reads.
   *
   * @param batch the open batch (its owner's thread)
   * @return the listed markets
   */
  public static Map<Integer, MarketV2> marketsOf(StateBatchV2 batch) {
    return MarketTerms.listedOf(batch);
  }

  /**
   * Reads the markets, executes the transaction on the batch and wraps the result. Writer thread of
   * the batch's store.
   *
   * @param execution the executor of the deployment
   * @param domain the deployment the executor was created for
   * @param feePpm the fee rate the executor was created with
   * @param batch the open batch
   * @param tx the transaction
   * @return the batch step
   * @throws LiquidationRefusedException the execution refused it (the batch is unchanged)
   */
  public static LiquidationBatchStep execute(
      LiquidationExecution execution,
      MessageDomain domain,
      long feePpm,
      StateBatchV2 batch,
      LiquidationTransaction tx)
      throws LiquidationRefusedException {
    Map<Integer, MarketV2> markets = marketsOf(batch);
    return new LiquidationBatchStep(execution.execute(batch, tx), markets, domain, feePpm);
  }

  @Override
  public ExecutedStep executed() {
    return witness;
  }

  @Override
  public Fr priorityOperation() {
    return null;
  }

  @Override
  public void checkHeader(BatchHeaderV3 header, int index) throws BatchWitnessException {
    if (witness.transaction() instanceof LiquidationFill && !header.domain().equals(domain)) {
      throw new BatchWitnessException(
          BatchWitnessError.DOMAIN,
          index,
          "the liquidator's order verified for " + domain + ", the batch is " + header.domain());
    }
  }

  @Override
  public StepElements elements(BatchShape shape, int index) throws BatchWitnessException {
    if (!(witness.transaction() instanceof LiquidationFill)) {
      return MoveStepElements.of(witness, marketsBefore, shape.n(), shape.k(), index);
    }
    if (feePpm != shape.liquidationFeePpm()) {
      throw new BatchWitnessException(
          BatchWitnessError.LIQUIDATION_FEE,
          index,
          "executed at " + feePpm + " ppm, the shape's rate is " + shape.liquidationFeePpm());
    }
    return LiquidationStepElements.of(
        witness, marketsBefore, domain, feePpm, shape.n(), shape.k(), index);
  }
}
