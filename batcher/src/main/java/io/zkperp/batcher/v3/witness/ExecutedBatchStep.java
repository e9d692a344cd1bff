package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.ExecutedStep;
import io.zkperp.protocol.field.Fr;

/**
 * A batch step whose type byte, public data and roots are its execution witness's ({@link
 * ExecutedStep}): the collateral, tick and liquidation adapters. Implementations are immutable; any
 * thread.
 */
interface ExecutedBatchStep extends BatchStep {
  /**
   * The execution's witness.
   *
   * @return the witness
   */
  ExecutedStep executed();

  @Override
  default int type() {
    return executed().publicData()[0] & 0xff;
  }

  @Override
  default byte[] publicData() {
    return executed().publicData();
  }

  @Override
  default Fr oldRoot() {
    return executed().rootsBefore().stateRoot();
  }

  @Override
  default Fr newRoot() {
    return executed().rootsAfter().stateRoot();
  }
}
