package io.zkperp.bench.sequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import org.junit.jupiter.api.Test;

class ExchangeWorkloadTest {
  @Test
  void workloadHasTheExchangeCoreShapeAndTheOptimisedCoreMeetsItsExpectation() {
    ExchangeWorkload w = new ExchangeWorkload(1, 50_000, 100, 200);
    assertThat(w.rejectedInModel).isZero();
    assertThat(w.mix.get("cancel-replace")).isBetween(40_000, 42_000);
    assertThat(w.mix.get("GTC")).isBetween(4_000, 5_000);
    assertThat(w.expectedFills).isPositive();
    SequencerCore core =
        new SequencerCore(
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            RiskHook.PERMISSIVE,
            CoreListener.NONE);
    for (var c : w.commands) {
      core.apply(c);
    }
    SequencerBenchmark.checkInvariants(w, core);
    // the check can fail: a core that missed the last command does not match
    SequencerCore partial =
        new SequencerCore(
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            RiskHook.PERMISSIVE,
            CoreListener.NONE);
    for (int i = 0; i < w.commands.length - 1; i++) {
      partial.apply(w.commands[i]);
    }
    assertThatThrownBy(() -> SequencerBenchmark.checkInvariants(w, partial))
        .isInstanceOf(IllegalStateException.class);
  }
}
