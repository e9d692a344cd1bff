package io.zkperp.sequencer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.TestKeys;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.JournalWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four gateway threads submit signed commands at once through three intake threads: every request
 * gets exactly one result, journal sequence numbers are dense and acknowledged in order, and the
 * journal replays to the running core's state hash.
 */
class ConcurrentProducersTest {
  @TempDir Path dir;

  @Test
  void concurrentSubmittersGetOneDurableResultEach() throws Exception {
    TestKeys keys = new TestKeys(20);
    int producers = 4;
    int perProducer = 150;
    List<List<byte[]>> batches = new ArrayList<>();
    RandomCommands gen = new RandomCommands(77, 20);
    // the first two commands list the markets: submit them before the concurrent part
    byte[] market1 = CommandCodec.encode(gen.next());
    byte[] market2 = CommandCodec.encode(gen.next());
    for (int p = 0; p < producers; p++) {
      List<byte[]> mine = new ArrayList<>();
      for (int i = 0; i < perProducer; i++) {
        mine.add(CommandCodec.encode(keys.sign(gen.next())));
      }
      batches.add(mine);
    }
    int total = 2 + producers * perProducer;
    ConcurrentHashMap<Long, Long> results = new ConcurrentHashMap<>();
    AtomicLong lastAckedSeq = new AtomicLong();
    AtomicLong outOfOrder = new AtomicLong();
    CountDownLatch done = new CountDownLatch(total);
    SequencerOutput out =
        new SequencerOutput() {
          @Override
          public void onAccepted(long requestId, long journalSeq, List<SequencerEvent> events) {
            if (journalSeq != lastAckedSeq.get() + 1) {
              outOfOrder.incrementAndGet();
            }
            lastAckedSeq.set(journalSeq);
            results.merge(requestId, journalSeq, (a, b) -> -1L);
            done.countDown();
          }

          @Override
          public void onRejected(long requestId, RejectReason reason, String message) {
            results.merge(requestId, 0L, (a, b) -> -1L);
            done.countDown();
          }
        };
    SequencerCore core = SequencerCore.withDefaults(CoreListener.NONE);
    JournalWriter journal = JournalWriter.open(dir.resolve("journal.log"));
    Sequencer sequencer =
        Sequencer.builder(core, journal, keys.directory(), MessageDomain.DEMO, out)
            .intakeThreads(3)
            .ringSize(256)
            .start();
    sequencer.submit(0, market1);
    sequencer.submit(1, market2);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread t =
          new Thread(
              () -> {
                List<byte[]> mine = batches.get(producer);
                for (int i = 0; i < mine.size(); i++) {
                  sequencer.submit(2 + producer * perProducer + i, mine.get(i));
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    sequencer.close();
    journal.close();

    assertThat(results).hasSize(total).doesNotContainValue(-1L);
    assertThat(outOfOrder.get()).isZero();
    long accepted = results.values().stream().filter(v -> v > 0).count();
    assertThat(accepted).isEqualTo(lastAckedSeq.get()).isGreaterThan(total / 3);

    SequencerCore replayed =
        new SequencerCore(
            OrderBookFactory.NAIVE,
            SelfTradePrevention.EXPIRE_MAKER,
            RiskHook.PERMISSIVE,
            CoreListener.NONE);
    List<Command> journaled = new ArrayList<>();
    JournalReader.read(
        dir.resolve("journal.log"),
        (seq, c) -> {
          journaled.add(c);
          assertThat(replayed.apply(c)).isTrue();
        });
    assertThat(journaled).hasSize((int) accepted);
    assertThat(CoreState.hashHex(replayed)).isEqualTo(CoreState.hashHex(core));
  }
}
