package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.TopUpInsuranceFund;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.SequencerEvent.InsuranceFundToppedUp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's insurance-fund top-up ({@link TopUpInsuranceFund}): collateral from outside into
 * the fund, counted in the deposits so that conservation holds, with the fund's funding settled
 * first (a touch) and an {@link InsuranceFundToppedUp} record. Market 1: IMF 5%, MMF 3%, no fees;
 * the fund gets its position from the takeover of {@link LiquidationWorkedExamplesTest} (long 10 at
 * 951, collateral −9,510).
 */
class InsuranceFundTopUpTest {
  static final int M = 1;

  RiskHarness h =
      new RiskHarness(
          RiskConfig.of(M, RiskMathTest.BTC),
          LiquidationConfig.DEFAULT,
          OrderBookFactory.OPTIMISED,
          M);
  RecordModel model = new RecordModel();

  List<SequencerEvent> ok(Command c) {
    h.ok(c);
    List<SequencerEvent> ev = h.events.drain();
    model.applyAll(ev);
    model.assertMatches(h.risk, 3, new int[] {M}, "after " + c);
    return ev;
  }

  long held() {
    return h.risk.totalCollateral()
        + h.risk.insuranceFund().collateral()
        + h.risk.feeBalance()
        + h.risk.totalPendingFunding();
  }

  @Test
  void topUpCreditsTheFundSettlesItsFundingAndKeepsConservation() throws Exception {
    model.applyAll(h.events.drain());
    h.oracle(M, 1_000);
    h.deposit(1, 5_000);
    h.deposit(2, 5_000);
    h.place(order(2, Side.SELL, 100, 1_000));
    h.place(order(1, Side.BUY, 100, 1_000).tif(TimeInForce.IOC));
    h.oracle(M, 979); // the fund takes over 10 at 951 (LiquidationWorkedExamplesTest)
    model.applyAll(h.events.drain());
    assertThat(h.risk.insuranceFund().position(M)).isEqualTo(10);
    assertThat(h.risk.insuranceFund().collateral()).isEqualTo(-9_510);

    // invalid amounts change nothing and emit nothing
    h.rejected(
        new TopUpInsuranceFund(0), RejectReason.COLLATERAL_REJECTED, "top-up amount 0 must be > 0");
    h.rejected(new TopUpInsuranceFund(-5), RejectReason.COLLATERAL_REJECTED, null);
    h.rejected(new TopUpInsuranceFund(Long.MAX_VALUE), RejectReason.AMOUNT_OUT_OF_RANGE, null);
    assertThat(h.events.drain()).noneMatch(e -> e instanceof InsuranceFundToppedUp);

    // longs receive 1 per unit (index −2^32): the fund's long 10 is owed +10, account 1 (long 90)
    // +90 (equity 2,620 + 90 = 2,710 ≥ MMR 2,644: not liquidated), account 2 (short 100) owes 100
    ok(new FundingTick(M, -(1L << 32), 1));
    assertThat(h.risk.pendingFunding(1)).isEqualTo(90);
    assertThat(h.risk.insuranceFund().equity()).isEqualTo(-9_510 + 10 + 9_790);

    // top-up 1,000: the fund's +10 settled first, −9,510 + 10 + 1,000 = −8,500; deposits 11,000
    List<SequencerEvent> ev = ok(new TopUpInsuranceFund(1_000));
    assertThat(ev).containsExactly(new InsuranceFundToppedUp(1_000, 10, -8_500));
    assertThat(h.risk.insuranceFund().collateral()).isEqualTo(-8_500);
    assertThat(h.risk.insuranceFund().fundingSnapshot(M)).isEqualTo(-(1L << 32));
    assertThat(h.risk.totalDeposited()).isEqualTo(11_000);
    // conservation: Σ collateral + fund + fee balance + pending = deposits − withdrawals − dust,
    // dust = 0 here (each credit is a whole number: 1 per unit)
    assertThat(held()).isEqualTo(h.risk.totalDeposited() - h.risk.totalWithdrawn());
    // a second top-up: nothing pending any more
    assertThat(ok(new TopUpInsuranceFund(2_500)))
        .containsExactly(new InsuranceFundToppedUp(2_500, 0, -6_000));
    assertThat(held()).isEqualTo(13_500);

    // replay and snapshot round trip give the same state hash
    String hash = CoreState.hashHex(h.core);
    SequencerCore replay =
        new SequencerCore(
            OrderBookFactory.NAIVE,
            SelfTradePrevention.EXPIRE_MAKER,
            new RiskEngine(h.config, LiquidationConfig.DEFAULT),
            CoreListener.NONE);
    for (Command c : h.accepted) {
      assertThat(replay.apply(c)).isTrue();
    }
    assertThat(CoreState.hashHex(replay)).isEqualTo(hash);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CoreState.write(h.core, new DataOutputStream(bytes));
    SequencerCore loaded =
        CoreState.read(
            new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
            OrderBookFactory.OPTIMISED,
            new RiskEngine(h.config, LiquidationConfig.DEFAULT),
            CoreListener.NONE);
    assertThat(CoreState.hashHex(loaded)).isEqualTo(hash);
  }

  @Test
  void withoutARiskEngineTheTopUpIsRejected() {
    SequencerCore core =
        new SequencerCore(
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            RiskHook.PERMISSIVE,
            CoreListener.NONE);
    String before = CoreState.hashHex(core);
    assertThat(core.apply(new TopUpInsuranceFund(1_000))).isFalse();
    assertThat(core.lastRejectReason()).isEqualTo(RejectReason.NO_RISK_ENGINE);
    assertThat(core.lastRejectMessage())
        .isEqualTo("collateral commands need a risk engine; this core runs without one");
    assertThat(CoreState.hashHex(core)).isEqualTo(before);
  }
}
