package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.journal.SnapshotStore;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Journal + snapshot recovery with the risk engine: same hash; without one, a loud failure. */
class RiskRecoveryTest {
  static final int M = 1;
  @TempDir Path dir;

  String runJournaled(boolean snapshot) throws IOException {
    RiskHarness h =
        new RiskHarness(RiskConfig.of(M, RiskMathTest.BTC), OrderBookFactory.OPTIMISED, M);
    h.oracle(M, 1_000);
    h.deposit(1, 50_000);
    h.deposit(2, 50_000);
    h.place(order(2, Side.SELL, 100, 1_000));
    h.place(order(1, Side.BUY, 60, 1_000).tif(TimeInForce.IOC));
    h.ok(new FundingTick(M, 1L << 30, 10));
    h.place(order(1, Side.BUY, 20, 1_000).tif(TimeInForce.IOC));
    h.oracle(M, 990);
    h.withdraw(2, 1_000);
    SnapshotStore snapshots = new SnapshotStore(dir.resolve(Recovery.SNAPSHOT_DIR));
    try (JournalWriter journal = JournalWriter.open(dir.resolve(Recovery.JOURNAL_FILE))) {
      // journal everything; the snapshot, if any, is taken with 3 commands still to come
      SequencerCore copy =
          new SequencerCore(
              OrderBookFactory.OPTIMISED,
              SelfTradePrevention.EXPIRE_MAKER,
              new RiskEngine(RiskConfig.of(M, RiskMathTest.BTC)),
              CoreListener.NONE);
      for (int i = 0; i < h.accepted.size(); i++) {
        Command c = h.accepted.get(i);
        assertThat(copy.apply(c)).isTrue();
        long seq = journal.append(c);
        if (snapshot && i == h.accepted.size() - 4) {
          journal.commit();
          snapshots.write(seq, copy);
        }
      }
      journal.commit();
    }
    return CoreState.hashHex(h.core);
  }

  Recovery.Recovered recover(RiskHook risk) throws IOException {
    return Recovery.recover(
        dir, OrderBookFactory.OPTIMISED, SelfTradePrevention.EXPIRE_MAKER, risk, CoreListener.NONE);
  }

  @Test
  void journalAndSnapshotRecoverTheRiskState() throws IOException {
    String hash = runJournaled(true);
    RiskEngine engine = new RiskEngine(RiskConfig.of(M, RiskMathTest.BTC));
    Recovery.Recovered r = recover(engine);
    assertThat(r.snapshotSeq()).isPositive();
    assertThat(r.replayed()).isEqualTo(3);
    assertThat(CoreState.hashHex(r.core())).isEqualTo(hash);
    assertThat(engine.position(1, M)).isEqualTo(80);
    assertThat(engine.totalCollateral() + engine.feeBalance() + engine.totalPendingFunding())
        .isLessThanOrEqualTo(100_000 - 1_000);
  }

  @Test
  void liquidationStateRecoversFromJournalAndSnapshot() throws IOException {
    // the scenario of LiquidationScenarioTest: a partial liquidation at 975 (one fill lifts the
    // account), the snapshot right after it, the next step at 960 (two fills and a takeover of 5 by
    // the fund) replayed from the journal
    LiquidationConfig liq = LiquidationScenarioTest.LIQ;
    RiskConfig config = RiskConfig.of(M, RiskMathTest.BTC);
    RiskHarness h = new RiskHarness(config, liq, OrderBookFactory.OPTIMISED, M);
    h.oracle(M, 1_000);
    h.deposit(1, 5_000);
    h.deposit(2, 100_000);
    h.deposit(3, 1_000_000);
    h.place(order(2, Side.SELL, 100, 1_000));
    h.place(order(1, Side.BUY, 100, 1_000).tif(TimeInForce.IOC));
    h.place(order(3, Side.BUY, 30, 970));
    h.place(order(3, Side.BUY, 30, 962));
    h.place(order(3, Side.BUY, 18, 955));
    h.oracle(M, 975);
    int snapshotAfter = h.accepted.size();
    h.oracle(M, 960);
    SnapshotStore snapshots = new SnapshotStore(dir.resolve(Recovery.SNAPSHOT_DIR));
    try (JournalWriter journal = JournalWriter.open(dir.resolve(Recovery.JOURNAL_FILE))) {
      SequencerCore copy =
          new SequencerCore(
              OrderBookFactory.OPTIMISED,
              SelfTradePrevention.EXPIRE_MAKER,
              new RiskEngine(config, liq),
              CoreListener.NONE);
      for (int i = 0; i < h.accepted.size(); i++) {
        Command c = h.accepted.get(i);
        assertThat(copy.apply(c)).isTrue();
        long seq = journal.append(c);
        if (i == snapshotAfter - 1) {
          journal.commit();
          snapshots.write(seq, copy);
        }
      }
      journal.commit();
    }
    RiskEngine engine = new RiskEngine(config, liq);
    Recovery.Recovered r = recover(engine);
    assertThat(r.replayed()).isEqualTo(1);
    assertThat(CoreState.hashHex(r.core())).isEqualTo(CoreState.hashHex(h.core));
    assertThat(engine.insuranceFund().position(M)).isEqualTo(5);
    assertThat(engine.insuranceFund().collateral()).isEqualTo(-3_933);
    assertThat(engine.collateral(1)).isEqualTo(-15_917);
    assertThat(r.core().position(RiskEngine.INSURANCE_FUND, M)).isEqualTo(5);
  }

  @Test
  void withoutARiskEngineRecoveryFailsLoudly() throws IOException {
    runJournaled(false);
    assertThatThrownBy(() -> recover(RiskHook.PERMISSIVE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rejected on replay");
  }
}
