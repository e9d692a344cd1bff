package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.batcher.v3.WithdrawalTransaction;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.protocol.message.WithdrawalMessage;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.state.v2.StateRootsV2;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settler's stops on a real engine and a real RocksDB store: a record the tree disagrees with,
 * and a step the batcher refuses, each stop naming the command and step and writing nothing of the
 * command (an earlier step of it included).
 */
class V3SettlerTest {
  /** Two accounts credited by L1 deposits: the settled translations of both. */
  private static List<V3Translation.Steps> twoDeposits(DifferentialRun run) {
    List<V3Translation.Steps> out = new java.util.ArrayList<>();
    for (int a = 0; a < 2; a++) {
      DifferentialRun.Outcome o = run.submit(run.deposit(a, 1_000 + a));
      run.accepted(o.command());
      out.add((V3Translation.Steps) o.t());
    }
    return out;
  }

  @Test
  void aRecordTheTreeDisagreesWithStopsTheCommandWithoutWritingAnyOfItsSteps(@TempDir Path dir)
      throws Exception {
    try (DifferentialRun run = new DifferentialRun(7, dir)) {
      List<V3Translation.Steps> deposits = twoDeposits(run);
      V3Step.Collateral first = (V3Step.Collateral) deposits.get(0).steps().get(0);
      V3Step.Collateral second = (V3Step.Collateral) deposits.get(1).steps().get(0);
      SequencerEvent.Deposited r = (SequencerEvent.Deposited) second.record();
      // the engine's record claims one quantum more than the deposit credits
      V3Step.Collateral tampered =
          new V3Step.Collateral(
              second.tx(),
              new SequencerEvent.Deposited(
                  r.account(), r.amount(), r.fundingSettled(), r.collateralAfter() + 1));
      StateRootsV2 before = run.store.roots();
      long version = run.store.version();
      assertThatThrownBy(
              () -> run.settler.settle(new V3Translation.Steps(9, List.of(first, tampered))))
          .isInstanceOfSatisfying(
              DisagreementException.class,
              e ->
                  assertThat(e.disagreement())
                      .isEqualTo(
                          new Disagreement(9, 1, "Deposited", "collateralAfter", 1_002, 1_001)));
      assertThat(run.store.roots()).isEqualTo(before);
      assertThat(run.store.version()).isEqualTo(version);
      try (var v = run.store.view()) {
        assertThat(v.account(0)).isNull(); // the first step was not written either
      }
      // the untampered command settles, and the tree holds what the records say
      run.settler.settle(new V3Translation.Steps(9, List.of(first, second)));
      try (var v = run.store.view()) {
        assertThat(v.account(0).collateral()).isEqualTo(1_000);
        assertThat(v.account(1).collateral()).isEqualTo(1_001);
      }
      assertThat(run.settler.stepsSettled()).isEqualTo(2);
    }
  }

  /**
   * Disagreement 4 of docs/perp-circuit.md §6: today's node intake ({@code SignedTransactions})
   * accepts a withdrawal signed in signed-message format 1 ({@code TransactionMessages.withdrawal},
   * no domain), which the engine then applies; the format v3 collateral step verifies format 2 in
   * the deployment's domain and refuses it. The same withdrawal signed in format 2 settles.
   */
  @Test
  void aWithdrawalSignedInFormatOneAsTodaysIntakeAcceptsItIsRefusedByTheStep(@TempDir Path dir)
      throws Exception {
    try (DifferentialRun run = new DifferentialRun(8, dir)) {
      for (V3Translation.Steps s : twoDeposits(run)) {
        run.settler.settle(s);
      }
      var key = Deployment.TRADERS.get(0);
      byte[] formatOne =
          EdDsa.sign(key, TransactionMessages.withdrawal(0, Deployment.owner(0), 400, 0)).encode();
      DifferentialRun.Outcome o = run.submit(new SignedWithdrawCollateral(0, 400, 0, formatOne));
      assertThat(o.accepted()).as("the engine applies it").isTrue();
      V3Translation.Steps steps = (V3Translation.Steps) o.t();
      StateRootsV2 before = run.store.roots();
      assertThatThrownBy(() -> run.settler.settle(steps))
          .isInstanceOfSatisfying(
              StepRefusedException.class,
              e -> {
                assertThat(e.reasons()).containsExactly("SIGNATURE");
                assertThat(e.seq()).isEqualTo(steps.seq());
                assertThat(e.step()).isZero();
              });
      assertThat(run.store.roots()).isEqualTo(before);
      // signed in format 2, in the deployment's domain: the step passes and agrees with the record
      byte[] formatTwo =
          new WithdrawalMessage(0, Deployment.owner(0), 400, 0).sign(key, Deployment.DOMAIN);
      V3Step.Collateral c = (V3Step.Collateral) steps.steps().get(0);
      WithdrawalTransaction w = (WithdrawalTransaction) c.tx();
      run.settler.settle(
          new V3Translation.Steps(
              steps.seq(),
              List.of(
                  new V3Step.Collateral(
                      new WithdrawalTransaction(w.message(), formatTwo), c.record()))));
      try (var v = run.store.view()) {
        assertThat(v.account(0).collateral()).isEqualTo(600);
        assertThat(v.account(0).nonce()).isEqualTo(1);
      }
    }
  }
}
