package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.field.Fr;

/**
 * One executed step as the format v3 batch encoder takes it: its type byte (which picks its slot
 * group), its public data (its record), the state roots around it, the priority operation it
 * consumes and its circuit elements for a shape. Each step type has an adapter over its execution's
 * witness ({@link CollateralBatchStep}, {@link TickBatchStep}, {@link LiquidationBatchStep}, {@link
 * TradeBatchStep}). Implementations are immutable; any thread.
 */
public interface BatchStep {
  /**
   * The type byte ({@link StepGroup#type}).
   *
   * @return the type
   */
  int type();

  /**
   * The step's public data, type byte first, not padded.
   *
   * @return a new array
   */
  byte[] publicData();

  /**
   * The layout v2 state root before the step.
   *
   * @return the root
   */
  Fr oldRoot();

  /**
   * The layout v2 state root after the step.
   *
   * @return the root
   */
  Fr newRoot();

  /**
   * The L1 priority operation the step consumes (a deposit's, a forced withdrawal's).
   *
   * @return its hash, or null for a step that consumes none
   */
  Fr priorityOperation();

  /**
   * Checks the step belongs in a batch with this header (a signed step's deployment, a tick's batch
   * time). The default accepts every header.
   *
   * @param header the batch's header
   * @param index the step's position in execution order (for the refusal)
   * @throws BatchWitnessException {@link BatchWitnessError#DOMAIN}, {@link
   *     BatchWitnessError#BATCH_TIME}
   */
  default void checkHeader(BatchHeaderV3 header, int index) throws BatchWitnessException {}

  /**
   * The step's circuit elements in the shape's slot, in the order {@code batchv3.Encode} writes
   * them.
   *
   * @param shape the batch's shape
   * @param index the step's position in execution order (for the refusal)
   * @return the elements
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: the step does not fit the shape
   *     (a position in a market outside the table, more reports than slots)
   */
  StepElements elements(BatchShape shape, int index) throws BatchWitnessException;
}
