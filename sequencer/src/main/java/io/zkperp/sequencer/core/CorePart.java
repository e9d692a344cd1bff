package io.zkperp.sequencer.core;

/**
 * A part of {@link SequencerCore} in a class of its own ({@link CoreCollateral}, {@link CoreFills},
 * {@link CorePrices}, {@link ConditionalOrders}, and the core as its risk hook and validator see
 * it, {@link CoreLiquidations} and {@link CoreOrderContext}): holds the core it works on. Core
 * thread.
 */
abstract class CorePart {
  final SequencerCore core;

  CorePart(SequencerCore core) {
    this.core = core;
  }
}
