package io.zkperp.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Readers concurrent with the writer see whole commands only: the writer (one thread, as the
 * journal thread) applies commands that each place a bid and an ask of the same size for one of
 * four accounts and cancel that account's pair from four commands before, so after every command
 * the book's bid total equals its ask total, every account holds at most two live orders of equal
 * size and its sequence counts its commands. Reader threads (no lock shared with the writer) check
 * those invariants on every view, that the sequences they see never go back, and, subscribing to
 * account streams at random moments (watch, then snapshot), that the updates after the snapshot
 * continue its sequence without a gap or a duplicate. Commands: {@code -Dzkperp.readModelCommands}
 * (default 100,000).
 */
class ReadModelConcurrencyTest {
  private static final int COMMANDS = Integer.getInteger("zkperp.readModelCommands", 100_000);
  private static final int ACCOUNTS = 4;
  private static final int MARKET = 1;

  @Test
  void readersSeeWholeCommandsAndStreamsContinueTheirSnapshots() throws Exception {
    ReadModel rm = new ReadModel();
    // account -> the sequences of the stream updates it got, in order
    Map<Integer, List<Long>> streamed = new ConcurrentHashMap<>();
    rm.onStreamUpdates(
        u -> {
          for (ReadModel.AccountUpdate a : u.accounts()) {
            streamed
                .computeIfAbsent(a.account().account(), k -> new CopyOnWriteArrayList<>())
                .add(a.account().sequence());
          }
        });
    rm.apply(new AddMarket(MARKET, 1, 1, 1), 1, List.of());
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<long[]> subscriptions = new CopyOnWriteArrayList<>(); // {account, snapshot sequence}
    List<Thread> readers = new ArrayList<>();
    long[] reads = new long[3];
    for (int r = 0; r < 3; r++) {
      int id = r;
      Thread t =
          new Thread(
              () -> {
                Random random = new Random(id);
                long lastBook = 0;
                long[] lastAccount = new long[ACCOUNTS];
                try {
                  while (!done.get()) {
                    ReadModel.BookSnapshot b = rm.book(MARKET, Integer.MAX_VALUE);
                    long bids = b.bids().stream().mapToLong(ReadModel.Level::size).sum();
                    long asks = b.asks().stream().mapToLong(ReadModel.Level::size).sum();
                    assertThat(bids)
                        .as("bids = asks at book sequence %d", b.sequence())
                        .isEqualTo(asks);
                    assertThat(b.sequence()).isGreaterThanOrEqualTo(lastBook);
                    lastBook = b.sequence();
                    int a = random.nextInt(ACCOUNTS);
                    ReadModel.AccountSnapshot s = rm.accountSnapshot(a);
                    List<ReadModel.OpenOrder> open = s.openOrders();
                    assertThat(open.size()).isIn(0, 2);
                    if (open.size() == 2) {
                      assertThat(open.get(0).size()).isEqualTo(open.get(1).size());
                      assertThat(open.get(0).orderId() + 1).isEqualTo(open.get(1).orderId());
                    }
                    assertThat(s.account().sequence()).isGreaterThanOrEqualTo(lastAccount[a]);
                    lastAccount[a] = s.account().sequence();
                    assertThat(rm.openOrders(a, -1).size()).isIn(0, 2);
                    if (random.nextInt(1000) == 0) { // a stream subscription
                      int sub = random.nextInt(ACCOUNTS);
                      rm.watch(sub, +1); // before the snapshot, as AccountFeed does
                      subscriptions.add(
                          new long[] {sub, rm.accountSnapshot(sub).account().sequence()});
                    }
                    reads[id]++;
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "reader-" + r);
      t.start();
      readers.add(t);
    }
    Random random = new Random(42);
    long[] sizes = new long[COMMANDS + 2];
    for (int i = 2; i < COMMANDS + 2 && failure.get() == null; i++) {
      int account = i % ACCOUNTS;
      long size = 1 + random.nextInt(9);
      sizes[i] = size;
      List<SequencerEvent> events = new ArrayList<>();
      events.add(accepted(2L * i, account, Side.BUY, 100 - random.nextInt(5), size, i));
      events.add(accepted(2L * i + 1, account, Side.SELL, 200 + random.nextInt(5), size, i));
      if (i - ACCOUNTS >= 2) {
        int old = i - ACCOUNTS;
        events.add(
            new SequencerEvent.OrderClosed(
                2L * old, account, MARKET, sizes[old], CloseReason.CANCELLED));
        events.add(
            new SequencerEvent.OrderClosed(
                2L * old + 1, account, MARKET, sizes[old], CloseReason.CANCELLED));
      }
      rm.apply(null, i, events);
    }
    done.set(true);
    for (Thread t : readers) {
      t.join(30_000);
    }
    if (failure.get() != null) {
      throw new AssertionError("a reader saw an inconsistent view", failure.get());
    }
    assertThat(reads[0] + reads[1] + reads[2]).as("reads").isGreaterThan(1000);
    assertThat(subscriptions).isNotEmpty();
    int continued = 0;
    for (long[] sub : subscriptions) {
      List<Long> after =
          streamed.getOrDefault((int) sub[0], List.of()).stream().filter(s -> s > sub[1]).toList();
      for (int k = 0; k < after.size(); k++) {
        assertThat(after.get(k))
            .as("update %d after snapshot %d", k, sub[1])
            .isEqualTo(sub[1] + 1 + k);
      }
      continued += after.isEmpty() ? 0 : 1;
    }
    assertThat(continued).as("subscriptions with updates after their snapshot").isPositive();
    // the final views are the writer's last state
    for (int a = 0; a < ACCOUNTS; a++) {
      assertThat(rm.openOrders(a, -1)).hasSize(2);
    }
    assertThat(rm.journalSeq()).isEqualTo(COMMANDS + 1);
  }

  private static SequencerEvent.OrderAccepted accepted(
      long orderId, int account, Side side, long price, long size, long nonce) {
    return new SequencerEvent.OrderAccepted(
        orderId, account, MARKET, (int) nonce, side, price, size, nonce);
  }
}
