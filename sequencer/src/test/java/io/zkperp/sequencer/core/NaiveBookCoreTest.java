package io.zkperp.sequencer.core;

import io.zkperp.sequencer.book.OrderBookFactory;

class NaiveBookCoreTest extends AbstractSequencerCoreSuite {
  @Override
  OrderBookFactory books() {
    return OrderBookFactory.NAIVE;
  }
}
