package io.zkperp.sequencer.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.MalformedCommandException;
import io.zkperp.sequencer.command.ServeL1ForcedTrade;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.JournalWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServeL1ForcedTrade} through the core and the risk engine: served only in L1 queue order;
 * an executed trade moves both accounts exactly (no fee) and takes A's fill slot, so a replay is
 * stale; every invalid reason changes nothing but the consumed priority operation (the state hash
 * equals that of a core which consumed the index with an empty forced withdrawal); every outcome is
 * one {@link SequencerEvent.ForcedTradeServed}; the journal codec replays to the same state.
 */
class ForcedTradeCommandTest {
  static final int M = L1PriorityOpsTest.M;
  static final int A = 1;
  static final int B = 2;
  static final long FUNDS = 100_000;

  final RiskHarness h = harness();

  /** The twin: the same commands, each invalid forced trade replaced by an empty withdrawal. */
  final RiskHarness twin = harness();

  static RiskHarness harness() {
    RiskHarness x =
        new RiskHarness(RiskConfig.of(M, RiskMathTest.BTC), OrderBookFactory.OPTIMISED, M);
    x.oracle(M, 1_000);
    x.ok(L1PriorityOpsTest.deposit(0, A, FUNDS));
    x.ok(L1PriorityOpsTest.deposit(1, B, FUNDS));
    x.events.drain();
    return x;
  }

  static ForcedTradeRequest buy(int market, long size, long amount, long nonce) {
    return new ForcedTradeRequest(A, B, market, true, size, amount, nonce);
  }

  private SequencerEvent.ForcedTradeServed served(ServeL1ForcedTrade c) {
    return served(h, c);
  }

  /** Applies {@code c} on {@code x} and returns its one record. */
  private static SequencerEvent.ForcedTradeServed served(RiskHarness x, ServeL1ForcedTrade c) {
    x.events.drain();
    x.ok(c);
    List<SequencerEvent.ForcedTradeServed> records =
        x.events.drain().stream()
            .filter(e -> e instanceof SequencerEvent.ForcedTradeServed)
            .map(e -> (SequencerEvent.ForcedTradeServed) e)
            .toList();
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  private void executes(ServeL1ForcedTrade c) {
    twin.ok(c);
    twin.events.drain();
    assertThat(served(c).reason()).isEqualTo(ForcedTradeReason.EXECUTED);
  }

  /** {@code c} is served with {@code reason} and changes what an empty withdrawal changes. */
  private void invalid(ServeL1ForcedTrade c, ForcedTradeReason reason) {
    SequencerEvent.ForcedTradeServed r = served(c);
    assertThat(r)
        .isEqualTo(
            new SequencerEvent.ForcedTradeServed(
                c.priorityIndex(), c.request(), reason, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    twin.ok(new ServeL1ForcedWithdrawal(c.priorityIndex(), A, L1PriorityOpsTest.ALICE, 0));
    assertThat(CoreState.hashHex(h.core)).as("%s", reason).isEqualTo(CoreState.hashHex(twin.core));
  }

  @Test
  void anExecutedTradeMovesBothAccountsExactlyAndItsReplayIsStale() {
    ForcedTradeRequest r = buy(M, 5, 5_003, 7);
    ServeL1ForcedTrade c = new ServeL1ForcedTrade(2, r, true);
    SequencerEvent.ForcedTradeServed record = served(c);
    assertThat(record)
        .isEqualTo(
            new SequencerEvent.ForcedTradeServed(
                2,
                r,
                ForcedTradeReason.EXECUTED,
                1_000, // 5,003 / 5, truncated: the cost basis; the collateral moves by 5,003
                h.risk.oracleFixed(M),
                h.risk.fundingIndex(M),
                FUNDS,
                FUNDS - 5_003,
                5,
                FUNDS,
                FUNDS + 5_003,
                -5));
    assertThat(h.risk.collateral(A)).isEqualTo(FUNDS - 5_003);
    assertThat(h.risk.collateral(B)).isEqualTo(FUNDS + 5_003);
    assertThat(h.risk.position(A, M)).isEqualTo(5);
    assertThat(h.risk.position(B, M)).isEqualTo(-5);
    assertThat(h.core.position(A, M)).isEqualTo(5);
    assertThat(h.core.position(B, M)).isEqualTo(-5);
    assertThat(h.risk.openInterest(M)).isEqualTo(5);
    assertThat(h.risk.feeBalance()).isZero();
    assertThat(h.core.nextPriorityIndex()).isEqualTo(3);

    // the same request again (a second L1 request with the same nonce): A's slot holds it
    String before = CoreState.hashHex(h.core);
    ServeL1ForcedTrade again = new ServeL1ForcedTrade(3, r, true);
    assertThat(served(again).reason()).isEqualTo(ForcedTradeReason.STALE);
    assertThat(h.risk.collateral(A)).isEqualTo(FUNDS - 5_003);
    assertThat(h.risk.position(A, M)).isEqualTo(5);
    assertThat(CoreState.hashHex(h.core)).isNotEqualTo(before); // only the index moved
    // the nonce with other terms is stale too; the slot's next nonce (7 + 2^12) executes
    assertThat(served(new ServeL1ForcedTrade(4, buy(M, 1, 1_000, 7), true)).reason())
        .isEqualTo(ForcedTradeReason.STALE);
    assertThat(served(new ServeL1ForcedTrade(5, buy(M, 1, 1_000, 7 + 4096), true)).reason())
        .isEqualTo(ForcedTradeReason.EXECUTED);
    assertThat(h.risk.position(A, M)).isEqualTo(6);
    assertThat(served(new ServeL1ForcedTrade(6, buy(M, 1, 1_000, 7), true)).reason())
        .isEqualTo(ForcedTradeReason.STALE); // now below the slot's nonce

    // the queue order holds as for the other priority operations
    h.rejected(
        new ServeL1ForcedTrade(6, buy(M, 1, 1_000, 9), true),
        RejectReason.PRIORITY_OP_OUT_OF_ORDER,
        "L1 priority operation 6 was already consumed; the next is 7");
  }

  @Test
  void everyInvalidReasonChangesNothingButTheConsumedIndex() {
    executes(new ServeL1ForcedTrade(2, buy(M, 5, 5_000, 7), true));
    invalid(new ServeL1ForcedTrade(3, buy(M, 5, 5_000, 7), true), ForcedTradeReason.STALE);
    invalid(
        new ServeL1ForcedTrade(4, buy(M + 1, 5, 5_000, 8), true), ForcedTradeReason.UNKNOWN_MARKET);
    invalid(new ServeL1ForcedTrade(5, buy(M, 5, 5_000, 8), false), ForcedTradeReason.BAD_SIGNATURE);
    invalid(
        new ServeL1ForcedTrade(6, buy(M, ForcedTradeDecision.MAX_ABS_SIZE, 1, 8), true),
        ForcedTradeReason.OUT_OF_RANGE);
    // A (95,000 and 5 long) pays 105,000 for 5 more worth 5,000: equity 5,000 − 5,000 < margin
    invalid(new ServeL1ForcedTrade(7, buy(M, 5, 105_000, 8), true), ForcedTradeReason.RISK);
    // none of them took the slot of nonce 8: it still executes
    executes(new ServeL1ForcedTrade(8, buy(M, 5, 5_000, 8), true));
    assertThat(h.risk.position(A, M)).isEqualTo(10);
    assertThat(CoreState.hashHex(h.core)).isEqualTo(CoreState.hashHex(twin.core));
  }

  @Test
  void theJournalCodecReplaysToTheSameState() {
    executes(new ServeL1ForcedTrade(2, buy(M, 5, 5_003, 7), true));
    invalid(new ServeL1ForcedTrade(3, buy(M, 5, 5_003, 7), true), ForcedTradeReason.STALE);
    RiskHarness replay = h.replayThroughCodec();
    assertThat(CoreState.hashHex(replay.core)).isEqualTo(CoreState.hashHex(h.core));
    assertThat(replay.risk.collateral(B)).isEqualTo(FUNDS + 5_003);
    // the replayed slot is taken: the request is stale on the replayed core too
    assertThat(served(replay, new ServeL1ForcedTrade(4, buy(M, 5, 5_003, 7), true)).reason())
        .isEqualTo(ForcedTradeReason.STALE);
  }

  @Test
  void aCoreRecoveredFromTheJournalFileHasTheSameStateAndTheSlotTaken(@TempDir Path dir)
      throws IOException {
    executes(new ServeL1ForcedTrade(2, buy(M, 5, 5_003, 7), true));
    invalid(new ServeL1ForcedTrade(3, buy(M, 5, 5_003, 8), false), ForcedTradeReason.BAD_SIGNATURE);
    Path file = dir.resolve("journal.log");
    try (JournalWriter w = JournalWriter.open(file)) {
      for (Command c : h.accepted) {
        w.append(c);
      }
      w.commit();
    } // the node stops here; a new one recovers from the file alone
    RiskHarness recovered =
        new RiskHarness(
            new RiskEngine(h.config, LiquidationConfig.DEFAULT), OrderBookFactory.OPTIMISED);
    JournalReader.read(file, (seq, c) -> recovered.ok(c));
    assertThat(CoreState.hashHex(recovered.core)).isEqualTo(CoreState.hashHex(h.core));
    assertThat(recovered.risk.position(A, M)).isEqualTo(5);
    assertThat(recovered.core.nextPriorityIndex()).isEqualTo(4);
    assertThat(served(recovered, new ServeL1ForcedTrade(4, buy(M, 5, 5_003, 7), true)).reason())
        .isEqualTo(ForcedTradeReason.STALE);
    // nonce 8 was refused for its signature, not used: it still executes
    recovered.ok(new ServeL1ForcedTrade(5, buy(M, 5, 5_003, 8), true));
    assertThat(recovered.risk.position(A, M)).isEqualTo(10);
  }

  @Test
  void theCodecRoundTripsTheCommandAndRefusesWhatL1Refuses() {
    ServeL1ForcedTrade c =
        new ServeL1ForcedTrade(
            1L << 40,
            new ForcedTradeRequest(B, A, 63, false, (1L << 55) - 1, Long.MAX_VALUE, -1),
            false);
    byte[] enc = CommandCodec.encode(c);
    assertThat(enc[0]).isEqualTo(CommandCodec.SERVE_L1_FORCED_TRADE);
    assertThat(enc).hasSize(1 + 8 + 4 + 4 + 4 + 1 + 8 + 8 + 8 + 1);
    assertThat(CommandCodec.decode(enc)).isEqualTo(c);

    byte[] sameAccounts = enc.clone();
    sameAccounts[1 + 8 + 4] = (byte) B; // the second account := the first
    assertThatThrownBy(() -> CommandCodec.decode(sameAccounts))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("same account");
    byte[] badFlag = enc.clone();
    badFlag[enc.length - 1] = 2;
    assertThatThrownBy(() -> CommandCodec.decode(badFlag))
        .isInstanceOf(MalformedCommandException.class);
    assertThatThrownBy(() -> CommandCodec.decode(Arrays.copyOf(enc, enc.length - 1)))
        .isInstanceOf(MalformedCommandException.class);
  }

  @Test
  void aCoreWithoutARiskEngineRefusesAForcedTrade() {
    SequencerCore core = SequencerCore.withDefaults(new EventCollector());
    assertThat(core.apply(new ServeL1ForcedTrade(0, buy(M, 5, 5_000, 7), true))).isFalse();
    assertThat(core.lastRejectReason()).isEqualTo(RejectReason.NO_RISK_ENGINE);
    assertThat(core.nextPriorityIndex()).isZero();
  }
}
