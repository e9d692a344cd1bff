package io.zkperp.sequencer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Naive vs optimised book under the same random commands: identical events (fills, closes,
 * rejections with their messages) and identical state hashes. CI size: 300,000 commands per
 * self-trade mode; the long run takes {@code -Dsequencer.diff.commands=5000000}.
 */
class DifferentialBookTest {
  static final int COMMANDS = Integer.getInteger("sequencer.diff.commands", 300_000);

  /**
   * Full state comparisons (hashes sort every nonce slot): about 30 per run, at least 10,000 apart.
   */
  static final int HASH_EVERY = Math.max(10_000, COMMANDS / 30);

  @ParameterizedTest
  @EnumSource(SelfTradePrevention.class)
  void naiveAndOptimisedBooksAgree(SelfTradePrevention stp) {
    EventCollector naiveEvents = new EventCollector();
    EventCollector fastEvents = new EventCollector();
    SequencerCore naive =
        new SequencerCore(OrderBookFactory.NAIVE, stp, RiskHook.PERMISSIVE, naiveEvents);
    SequencerCore fast =
        new SequencerCore(OrderBookFactory.OPTIMISED, stp, RiskHook.PERMISSIVE, fastEvents);
    RandomCommands gen = new RandomCommands(42 + stp.ordinal(), 40);
    long accepted = 0;
    long fills = 0;
    Map<io.zkperp.sequencer.RejectReason, Integer> rejects =
        new EnumMap<>(io.zkperp.sequencer.RejectReason.class);
    for (int i = 0; i < COMMANDS; i++) {
      Command c = gen.next();
      boolean a = naive.apply(c);
      boolean b = fast.apply(c);
      List<SequencerEvent> ea = naiveEvents.drain();
      List<SequencerEvent> eb = fastEvents.drain();
      assertThat(b).as("command %d %s", i, c).isEqualTo(a);
      assertThat(eb).as("events of command %d %s", i, c).isEqualTo(ea);
      if (a) {
        accepted++;
      } else {
        rejects.merge(naive.lastRejectReason(), 1, Integer::sum);
      }
      fills += ea.stream().filter(e -> e instanceof SequencerEvent.Fill).count();
      if (i % HASH_EVERY == 0) {
        assertThat(CoreState.hashHex(fast))
            .as("state after %d", i)
            .isEqualTo(CoreState.hashHex(naive));
      }
    }
    assertThat(CoreState.hashHex(fast)).isEqualTo(CoreState.hashHex(naive));
    for (int m : naive.marketIds()) {
      assertThat(naive.positionSum(m)).isZero();
    }
    // the stream must exercise the engine, not just bounce off validation
    assertThat(accepted).isGreaterThan(COMMANDS / 2);
    assertThat(fills).isGreaterThan(COMMANDS / 20);
    assertThat(rejects.keySet().size()).isGreaterThanOrEqualTo(8);
  }
}
