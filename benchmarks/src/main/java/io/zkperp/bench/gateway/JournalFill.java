package io.zkperp.bench.gateway;

import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * Fills a data directory with a journal of resting orders for the restart and snapshot benchmarks.
 * Any thread.
 */
final class JournalFill {
  private JournalFill() {}

  /**
   * Journals {@code orders} signed-looking GTC limit orders of market 2 that the core accepts
   * (round-robin over {@code accounts}, seeded prices around 1,000), as a node would have, without
   * a node: recovered core, applied, appended, committed every 4,096.
   *
   * @param dir the data directory (journal segments)
   * @param segmentBytes journal segment size
   * @param orders orders to generate
   * @param accounts accounts to spread them over
   * @return the number the core accepted
   * @throws IOException if the journal cannot be written
   */
  static long append(Path dir, long segmentBytes, int orders, int accounts) throws IOException {
    SequencerCore core =
        Recovery.recover(
                dir,
                OrderBookFactory.OPTIMISED,
                SelfTradePrevention.EXPIRE_MAKER,
                DemoMarkets.riskEngine(),
                CoreListener.NONE)
            .core();
    Random random = new Random(1);
    long[] nonces = new long[accounts];
    long accepted = 0;
    try (JournalWriter journal = JournalWriter.openSegments(dir, segmentBytes)) {
      for (int i = 0; i < orders; i++) {
        int account = i % accounts;
        long nonce = ++nonces[account];
        PlaceOrder o =
            new PlaceOrder(
                account,
                2,
                random.nextBoolean() ? Side.SELL : Side.BUY,
                (int) nonce,
                OrderType.LIMIT,
                TimeInForce.GTC,
                false,
                1 + random.nextInt(5),
                995 + random.nextInt(11),
                1000,
                4_000_000_000L,
                nonce,
                TriggerType.NONE,
                0,
                new byte[64]);
        if (core.apply(o)) {
          journal.append(o);
          if (++accepted % 4096 == 0) {
            journal.commit();
          }
        }
      }
      journal.commit();
    }
    return accepted;
  }
}
