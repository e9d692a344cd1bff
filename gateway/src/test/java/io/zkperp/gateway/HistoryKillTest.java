package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.CollateralChange;
import io.zkperp.gateway.bridge.history.FundingPayment;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.Recovery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history after SIGKILLs: the demo node in a child JVM ({@link KilledNodeMain}, 64 KiB
 * segments, a snapshot every 200 records, released segments archived) under crossing orders from
 * four threads, killed, restarted on the same directory, killed again. The journal thread writes
 * the history after the journal's group commit, so a kill under load leaves the history behind the
 * journal (counted and printed: the store's applied sequence read after the kill against the
 * journal's last record); to have that state for certain, 40 more records are then journaled the
 * way the sequencer does without the history write ({@link DirectJournal}). The node then starts in
 * this JVM: the history catches up, and every fill of every account and every trade of the market
 * (and every collateral change and funding payment of every account, whose changes add up to its
 * collateral) equals, entry for entry, what a fresh node builds from the whole journal (live and
 * archived segments, no snapshot, no history): nothing missing, nothing doubled. Rounds: {@code
 * -Dzkperp.historyKillRounds} (default 4).
 */
class HistoryKillTest {
  private static final int ACCOUNTS = 8;

  @TempDir Path dir;

  @Test
  void theHistoryCatchesUpAfterKillsBetweenTheJournalAndTheHistoryWrite() throws Exception {
    int rounds = Integer.getInteger("zkperp.historyKillRounds", 4);
    Path data = dir.resolve("data");
    Path archive = dir.resolve("archive");
    AtomicLong[] nonces = new AtomicLong[ACCOUNTS];
    for (int i = 0; i < ACCOUNTS; i++) {
      nonces[i] = new AtomicLong();
    }
    int behind = 0;
    for (int round = 0; round < rounds; round++) {
      Process child = KilledNodeMain.spawn(data, 64 << 10, 200, archive);
      int port = KilledNodeMain.awaitPort(child);
      AtomicInteger acks = new AtomicInteger();
      int target = 200 + 37 * round; // the kill lands at varying points
      KillUnderLoad.run(
          child,
          (first, i) -> {
            int account = first + 4 * (i % 2);
            long nonce = nonces[account].incrementAndGet();
            Side side = account % 2 == 0 ? Side.SELL : Side.BUY;
            JsonNode r = DemoNodeRpc.placeLimit(port, account, 2, side, 1 + nonce % 3, 1000, nonce);
            if (r.has("result")) {
              acks.incrementAndGet();
            }
          },
          () -> acks.get() >= target);
      assertThat(acks.get()).isGreaterThanOrEqualTo(target);
      long journalLast =
          Recovery.recover(
                  data,
                  io.zkperp.sequencer.book.OrderBookFactory.OPTIMISED,
                  io.zkperp.sequencer.SelfTradePrevention.EXPIRE_MAKER,
                  io.zkperp.gateway.node.DemoMarkets.riskEngine(),
                  io.zkperp.sequencer.core.CoreListener.NONE)
              .lastSeq();
      try (HistoryStore h = HistoryStore.open(data.resolve(HistoryStore.DIR))) {
        assertThat(h.appliedSeq()).isLessThanOrEqualTo(journalLast);
        if (h.appliedSeq() < journalLast) {
          behind++;
        }
      }
    }
    System.out.printf(
        "history kill rounds: %d, history behind the journal after: %d%n", rounds, behind);
    // and one more crash point for certain: records journaled the way the sequencer does, the
    // history not written (the state a kill right after the group commit leaves)
    List<Long> extra =
        DirectJournal.append(
            data,
            64 << 10,
            40,
            i -> {
              int account = i % 2;
              return DirectJournal.order(
                  account,
                  2,
                  account == 0 ? Side.SELL : Side.BUY,
                  1,
                  1000,
                  nonces[account].incrementAndGet());
            });
    assertThat(extra).hasSize(40);
    try (HistoryStore h = HistoryStore.open(data.resolve(HistoryStore.DIR))) {
      assertThat(h.appliedSeq()).isLessThan(extra.get(0));
    }

    Lists caughtUp = lists(data, archive);
    // the reference: the whole journal into a fresh node (no snapshot, no history)
    Path full = dir.resolve("full");
    NodeSnapshots.copy(data, full);
    NodeSnapshots.delete(full.resolve(Recovery.SNAPSHOT_DIR));
    NodeSnapshots.delete(full.resolve(HistoryStore.DIR));
    NodeSnapshots.restoreArchived(archive, full);
    AtomicLong records = new AtomicLong();
    JournalReader.readJournal(full, 0, (seq, c) -> records.incrementAndGet());
    assertThat(records.get()).isEqualTo(caughtUp.lastSeq);
    Lists reference = lists(full, null);
    assertThat(caughtUp.fills).isEqualTo(reference.fills);
    assertThat(caughtUp.trades).isEqualTo(reference.trades);
    assertThat(caughtUp.changes).isEqualTo(reference.changes);
    assertThat(caughtUp.payments).isEqualTo(reference.payments);
    assertThat(reference.changes.get(0)).as("account 0's trades and fees").isNotEmpty();
    assertThat(reference.trades).hasSizeGreaterThan(rounds * 50);
  }

  private record Lists(
      long lastSeq,
      List<List<ReadModel.FillView>> fills,
      List<HistoryStore.Trade> trades,
      List<List<CollateralChange>> changes,
      List<List<FundingPayment>> payments) {}

  /** Opens the node on {@code data} and lists every fill of every account and every trade. */
  private static Lists lists(Path data, Path archive) throws Exception {
    try (GatewayNode node =
        GatewayNode.open(
            NodeOptions.builder(data)
                .feedIntervalMillis(0)
                .signatures(SignatureVerifiers.JAVA)
                .durability(new DurabilityOptions(64 << 10, 0, 0, 2, archive))
                .build())) {
      ReadModel rm = node.gateway().readModel();
      // the feed's first step is acknowledged before its group's history write: wait for it
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (rm.history().appliedSeq() < rm.journalSeq() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(rm.history().appliedSeq()).as("caught up").isEqualTo(rm.journalSeq());
      List<List<ReadModel.FillView>> fills = new ArrayList<>();
      for (int a = 0; a < ACCOUNTS; a++) {
        List<ReadModel.FillView> all = new ArrayList<>();
        HistoryCursor c = HistoryCursor.NEWEST;
        do {
          HistoryStore.Page<ReadModel.FillView> p = rm.fills(a, -1, c, 97);
          all.addAll(p.items());
          c = p.next();
        } while (c != null);
        assertThat(all.stream().map(f -> f.journalSeq() + "." + f.index()).distinct().count())
            .as("no fill twice")
            .isEqualTo(all.size());
        fills.add(all);
      }
      List<HistoryStore.Trade> trades = new ArrayList<>();
      HistoryCursor c = HistoryCursor.NEWEST;
      do {
        HistoryStore.Page<HistoryStore.Trade> p = rm.history().trades(2, c, 1000);
        trades.addAll(p.items());
        c = p.next();
      } while (c != null);
      List<List<CollateralChange>> changes = new ArrayList<>();
      List<List<FundingPayment>> payments = new ArrayList<>();
      for (int a = 0; a < ACCOUNTS; a++) {
        List<CollateralChange> cs = new ArrayList<>();
        for (HistoryCursor cc = HistoryCursor.NEWEST; cc != null; ) {
          HistoryStore.Page<CollateralChange> p = rm.collateralHistory(a, cc, 89);
          cs.addAll(p.items());
          cc = p.next();
        }
        long balance = 0;
        for (CollateralChange x : cs.reversed()) {
          balance += x.amount();
          assertThat(x.balanceAfter()).as("balance chain of %d", a).isEqualTo(balance);
        }
        assertThat(balance).as("Σ changes of %d", a).isEqualTo(rm.account(a).collateral());
        changes.add(cs);
        List<FundingPayment> ps = new ArrayList<>();
        for (HistoryCursor pc = HistoryCursor.NEWEST; pc != null; ) {
          HistoryStore.Page<FundingPayment> p = rm.fundingPayments(a, -1, pc, 89);
          ps.addAll(p.items());
          pc = p.next();
        }
        payments.add(ps);
      }
      return new Lists(rm.journalSeq(), fills, trades, changes, payments);
    }
  }
}
