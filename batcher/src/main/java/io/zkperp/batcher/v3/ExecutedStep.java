package io.zkperp.batcher.v3;

import io.zkperp.state.v2.StateRootsV2;

/**
 * What an executed layout v2 step leaves for the batch: its public data (type byte first) and the
 * state roots before and after it. Implemented by the executions' witnesses ({@link
 * CollateralStepWitness}, {@link io.zkperp.batcher.v3.ticks.TickWitness}, {@link
 * io.zkperp.batcher.v3.liquidation.LiquidationWitness}, {@link ForcedTradeOutcome});
 * implementations are immutable, any thread.
 */
public interface ExecutedStep {
  /**
   * The step's public data, type byte first, not padded.
   *
   * @return a copy
   */
  byte[] publicData();

  /**
   * The roots before the step.
   *
   * @return the roots
   */
  StateRootsV2 rootsBefore();

  /**
   * The roots after the step.
   *
   * @return the roots
   */
  StateRootsV2 rootsAfter();
}
