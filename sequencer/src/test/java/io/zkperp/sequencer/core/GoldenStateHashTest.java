package io.zkperp.sequencer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import org.junit.jupiter.api.Test;

/**
 * Determinism guard: a fixed command stream must always end in the same state hash, on every JVM
 * and machine and after every refactoring. If a change to the core's rules is intended, the new
 * hash must be pinned here deliberately (and the prover's re-execution updated with it).
 */
class GoldenStateHashTest {
  static final String GOLDEN = "93bde669456e6c0a815bcbbaf4ce2a45245f1d8b0c2b6b6a18d7e28f1c650adc";

  @Test
  void fixedStreamEndsInThePinnedStateHash() {
    for (OrderBookFactory books :
        new OrderBookFactory[] {OrderBookFactory.OPTIMISED, OrderBookFactory.NAIVE}) {
      SequencerCore core =
          new SequencerCore(
              books, SelfTradePrevention.EXPIRE_MAKER, RiskHook.PERMISSIVE, CoreListener.NONE);
      RandomCommands gen = new RandomCommands(2026, 100);
      for (int i = 0; i < 100_000; i++) {
        core.apply(gen.next());
      }
      assertThat(CoreState.hashHex(core)).isEqualTo(GOLDEN);
    }
  }
}
