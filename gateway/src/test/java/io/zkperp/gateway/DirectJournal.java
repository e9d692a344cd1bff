package io.zkperp.gateway;

import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Appends commands to a stopped demo node's journal the way the sequencer does (each applied to the
 * recovered core first; only accepted ones journaled), without the intake: orders need no
 * signature, so a test builds a long history in seconds. The node replays them on its next start
 * through the real read model and history path.
 */
final class DirectJournal {
  private DirectJournal() {}

  /**
   * Recovers the core of {@code dir}, applies the commands and journals the accepted ones.
   *
   * @return the journal sequences of the accepted commands, in order
   */
  static List<Long> append(Path dir, long segmentBytes, int n, IntFunction<Command> commands)
      throws IOException {
    SequencerCore core =
        Recovery.recover(
                dir,
                OrderBookFactory.OPTIMISED,
                SelfTradePrevention.EXPIRE_MAKER,
                DemoMarkets.riskEngine(),
                CoreListener.NONE)
            .core();
    List<Long> seqs = new ArrayList<>(n);
    try (JournalWriter journal = JournalWriter.openSegments(dir, segmentBytes)) {
      for (int i = 0; i < n; i++) {
        Command c = commands.apply(i);
        if (core.apply(c)) {
          seqs.add(journal.append(c));
          if (seqs.size() % 1024 == 0) {
            journal.commit();
          }
        }
      }
      journal.commit();
    }
    return seqs;
  }

  /** An unsigned GTC limit order (client order id = nonce). */
  static PlaceOrder order(int account, int market, Side side, long size, long price, long nonce) {
    return new PlaceOrder(
        account,
        market,
        side,
        (int) nonce,
        OrderType.LIMIT,
        TimeInForce.GTC,
        false,
        size,
        price,
        1000,
        4_000_000_000L,
        nonce,
        TriggerType.NONE,
        0,
        new byte[64]);
  }
}
