package io.zkperp.sequencer.core;

import io.zkperp.sequencer.book.OrderBookFactory;

class OptimisedBookCoreTest extends AbstractSequencerCoreSuite {
  @Override
  OrderBookFactory books() {
    return OrderBookFactory.OPTIMISED;
  }
}
