package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.MalformedCommandException;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.SignedTransferCollateral;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * L1 priority operations in the engine: {@link CreditL1Deposit} and {@link ServeL1ForcedWithdrawal}
 * are accepted only in queue order, so a deposit is credited exactly once (a replayed or skipped
 * index is refused with a typed reason and changes nothing); the next index is in the core's state
 * (hash, snapshot); the commands survive the journal codec.
 */
class L1PriorityOpsTest {
  static final int M = 1;
  static final L1Address ALICE = L1Address.fromHex("0x" + "a1".repeat(20));
  static final Fr KX = Fr.fromLong(11);
  static final Fr KY = Fr.fromLong(12);

  RiskHarness h =
      new RiskHarness(RiskConfig.of(M, RiskMathTest.BTC), OrderBookFactory.OPTIMISED, M);

  static CreditL1Deposit deposit(long index, int account, long amount) {
    return new CreditL1Deposit(index, account, ALICE, KX, KY, amount);
  }

  @Test
  void depositsAreCreditedOnceAndOnlyInQueueOrder() {
    h.events.drain();
    assertThat(h.core.nextPriorityIndex()).isZero();
    h.ok(deposit(0, 1, 600));
    List<SequencerEvent> ev = h.events.drain();
    assertThat(ev).contains(new SequencerEvent.Deposited(1, 600, 0, 600));
    assertThat(h.core.nextPriorityIndex()).isEqualTo(1);

    // the same L1 deposit again (a restarted watcher, a replayed log): refused, nothing changes
    h.rejected(
        deposit(0, 1, 600),
        RejectReason.PRIORITY_OP_OUT_OF_ORDER,
        "L1 priority operation 0 was already consumed; the next is 1");
    // one skipped ahead: refused too
    h.rejected(
        deposit(2, 2, 200),
        RejectReason.PRIORITY_OP_OUT_OF_ORDER,
        "L1 priority operation 2 is ahead of the queue; the next is 1");
    assertThat(h.events.drain()).noneMatch(e -> e instanceof SequencerEvent.Deposited);
    assertThat(h.risk.collateral(1)).isEqualTo(600);

    // a deposit the engine refuses (amount 0) does not consume its index
    h.rejected(deposit(1, 2, 0), RejectReason.COLLATERAL_REJECTED, null);
    assertThat(h.core.nextPriorityIndex()).isEqualTo(1);
    h.ok(deposit(1, 2, 200));
    assertThat(h.risk.collateral(2)).isEqualTo(200);
    assertThat(h.core.nextPriorityIndex()).isEqualTo(2);
  }

  @Test
  void forcedWithdrawalsPayWhatFreeCollateralCoversAndAlwaysConsumeTheirIndex() {
    h.ok(deposit(0, 1, 600));
    h.events.drain();
    h.ok(new ServeL1ForcedWithdrawal(1, 1, ALICE, 100));
    assertThat(h.events.drain()).contains(new SequencerEvent.Withdrawn(1, 100, 0, 500));
    assertThat(h.core.nextPriorityIndex()).isEqualTo(2);

    // more than the account holds: served (the queue moves on) but nothing is paid
    String before = CoreState.hashHex(h.core);
    h.ok(new ServeL1ForcedWithdrawal(2, 1, ALICE, 501));
    assertThat(h.events.drain()).noneMatch(e -> e instanceof SequencerEvent.Withdrawn);
    assertThat(h.risk.collateral(1)).isEqualTo(500);
    assertThat(h.core.nextPriorityIndex()).isEqualTo(3);
    assertThat(CoreState.hashHex(h.core)).isNotEqualTo(before); // only the index moved

    // collateral held as margin by an open position is not free: not paid
    h.oracle(M, 1_000);
    h.ok(deposit(3, 2, 100_000));
    h.place(order(2, Side.SELL, 5, 1_000));
    h.place(order(1, Side.BUY, 5, 1_000));
    h.events.drain();
    long free = h.risk.freeCollateral(1);
    long cash = h.risk.collateral(1);
    assertThat(free).isPositive().isLessThan(500);
    h.ok(new ServeL1ForcedWithdrawal(4, 1, ALICE, free + 1));
    assertThat(h.risk.collateral(1)).isEqualTo(cash);
    assertThat(h.events.drain()).noneMatch(e -> e instanceof SequencerEvent.Withdrawn);

    h.rejected(
        new ServeL1ForcedWithdrawal(4, 1, ALICE, 1),
        RejectReason.PRIORITY_OP_OUT_OF_ORDER,
        "L1 priority operation 4 was already consumed; the next is 5");
    h.ok(new ServeL1ForcedWithdrawal(5, 1, ALICE, free));
    assertThat(h.risk.collateral(1)).isEqualTo(cash - free);
    h.rejected(new ServeL1ForcedWithdrawal(6, 1, ALICE, -1), RejectReason.FIELD_OUT_OF_RANGE, null);
  }

  @Test
  void theNextIndexIsInTheStateHashAndSurvivesASnapshotAndAReplay() throws Exception {
    String empty = CoreState.hashHex(h.core);
    h.ok(deposit(0, 1, 600));
    h.ok(new ServeL1ForcedWithdrawal(1, 1, ALICE, 1_000));
    assertThat(CoreState.hashHex(h.core)).isNotEqualTo(empty);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CoreState.write(h.core, new DataOutputStream(bytes));
    RiskEngine engine = new RiskEngine(h.config, LiquidationConfig.DEFAULT);
    SequencerCore restored =
        CoreState.read(
            new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
            OrderBookFactory.OPTIMISED,
            engine,
            new CoreListener() {});
    assertThat(restored.nextPriorityIndex()).isEqualTo(2);
    assertThat(CoreState.hashHex(restored)).isEqualTo(CoreState.hashHex(h.core));
    assertThat(restored.apply(deposit(1, 1, 5))).isFalse();
    assertThat(restored.lastRejectReason()).isEqualTo(RejectReason.PRIORITY_OP_OUT_OF_ORDER);

    // a replay of the journaled commands through the codec reaches the same state
    RiskHarness replay = h.replayThroughCodec();
    assertThat(CoreState.hashHex(replay.core)).isEqualTo(CoreState.hashHex(h.core));
  }

  @Test
  void signedWithdrawalsAndTransfersApplyLikeTheirUnsignedFormsAndKeepTheirSignatures() {
    h.ok(deposit(0, 1, 600));
    h.ok(deposit(1, 2, 100));
    h.events.drain();
    byte[] sig = new byte[64];
    sig[0] = 7;
    SignedTransferCollateral t = new SignedTransferCollateral(1, 2, 150, 0, sig);
    h.ok(t);
    assertThat(h.events.drain())
        .contains(new SequencerEvent.Transferred(1, 2, 150, 0, 0, 450, 250));
    SignedWithdrawCollateral w = new SignedWithdrawCollateral(2, 250, 0, sig);
    h.ok(w);
    assertThat(h.events.drain()).contains(new SequencerEvent.Withdrawn(2, 250, 0, 0));
    h.rejected(
        new SignedWithdrawCollateral(2, 1, 1, sig),
        RejectReason.INSUFFICIENT_FREE_COLLATERAL,
        null);
    h.rejected(
        new SignedTransferCollateral(1, 1, 1, 1, sig), RejectReason.FIELD_OUT_OF_RANGE, null);
    assertThat(CommandCodec.decode(CommandCodec.encode(t))).isEqualTo(t);
    assertThat(CommandCodec.decode(CommandCodec.encode(w))).isEqualTo(w);
    assertThat(((SignedWithdrawCollateral) CommandCodec.decode(CommandCodec.encode(w))).signature())
        .isEqualTo(sig);
    assertThatThrownBy(() -> new SignedWithdrawCollateral(2, 1, 1, new byte[63]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void codecRoundTripsAndRefusesANonCanonicalKey() {
    CreditL1Deposit d = deposit(7, 3, 1_234);
    byte[] enc = CommandCodec.encode(d);
    assertThat(enc).hasSize(1 + 8 + 4 + 20 + 32 + 32 + 8);
    assertThat(CommandCodec.decode(enc)).isEqualTo(d);
    ServeL1ForcedWithdrawal f = new ServeL1ForcedWithdrawal(8, 3, ALICE, 99);
    assertThat(CommandCodec.decode(CommandCodec.encode(f))).isEqualTo(f);

    byte[] bad = enc.clone();
    Arrays.fill(bad, 1 + 8 + 4 + 20, 1 + 8 + 4 + 20 + 32, (byte) 0xFF); // x ≥ the field modulus
    assertThatThrownBy(() -> CommandCodec.decode(bad))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("canonical");
    assertThatThrownBy(() -> CommandCodec.decode(Arrays.copyOf(enc, enc.length - 1)))
        .isInstanceOf(MalformedCommandException.class);
  }
}
