package io.zkperp.node.v3;

import io.zkperp.batcher.v3.CollateralTransaction;
import io.zkperp.batcher.v3.DepositTransaction;
import io.zkperp.batcher.v3.ForcedWithdrawalTransaction;
import io.zkperp.batcher.v3.TransferTransaction;
import io.zkperp.batcher.v3.WithdrawalTransaction;
import io.zkperp.protocol.message.TransferMessage;
import io.zkperp.protocol.message.WithdrawalMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.SignedTransferCollateral;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.function.IntFunction;

/**
 * Collateral records as collateral steps: {@code Deposited} of a {@link CreditL1Deposit} (the L1
 * priority operation, with owner and key), {@code Withdrawn} of a {@link SignedWithdrawCollateral}
 * (its signature and nonce; the L1 owner the message names is the account's bound owner, from its
 * first deposit) or of a {@link ServeL1ForcedWithdrawal}, {@code Transferred} of a {@link
 * SignedTransferCollateral}. The same records from the engine's unsigned operator commands ({@code
 * DepositCollateral}, {@code WithdrawCollateral}, {@code TransferCollateral}) carry no
 * authorisation a step could check: unprovable. Stateless; the translator's thread.
 */
final class CollateralSteps {
  private CollateralSteps() {}

  /**
   * The step of one collateral record.
   *
   * @param command the command that produced it
   * @param record {@code Deposited}, {@code Withdrawn} or {@code Transferred}
   * @param owners each account's bound L1 owner, or null when unknown
   * @return the step
   * @throws UnprovableRecordException the command is unsigned, or does not match the record
   */
  static V3Step.Collateral step(
      Command command, SequencerEvent record, IntFunction<L1Address> owners)
      throws UnprovableRecordException {
    String name = record.getClass().getSimpleName();
    CollateralTransaction tx =
        switch (record) {
          case SequencerEvent.Deposited d
              when command instanceof CreditL1Deposit c
                  && c.account() == d.account()
                  && c.amount() == d.amount() ->
              new DepositTransaction(c.account(), c.owner(), c.keyX(), c.keyY(), c.amount());
          case SequencerEvent.Withdrawn w
              when command instanceof SignedWithdrawCollateral c
                  && c.account() == w.account()
                  && c.amount() == w.amount() ->
              new WithdrawalTransaction(
                  new WithdrawalMessage(
                      c.account(), owner(owners, c.account()), c.amount(), c.nonce()),
                  c.authorisation().bytes());
          case SequencerEvent.Withdrawn w
              when command instanceof ServeL1ForcedWithdrawal f
                  && f.account() == w.account()
                  && f.amount() == w.amount() ->
              new ForcedWithdrawalTransaction(f.account(), f.owner(), f.amount());
          case SequencerEvent.Transferred t
              when command instanceof SignedTransferCollateral c
                  && c.from() == t.from()
                  && c.to() == t.to()
                  && c.amount() == t.amount() ->
              new TransferTransaction(
                  new TransferMessage(c.from(), c.to(), c.amount(), c.nonce()),
                  c.authorisation().bytes());
          default ->
              throw new UnprovableRecordException(
                  name,
                  "a "
                      + name
                      + " of "
                      + command.getClass().getSimpleName()
                      + ": only L1 deposits, signed withdrawals and transfers and L1 forced"
                      + " withdrawals are collateral steps");
        };
    return new V3Step.Collateral(tx, record);
  }

  /**
   * The step of a forced withdrawal the engine did not pay (no record): the step pays 0 too.
   *
   * @param f the command
   * @return the step, with no record
   */
  static V3Step.Collateral unpaid(ServeL1ForcedWithdrawal f) {
    return new V3Step.Collateral(
        new ForcedWithdrawalTransaction(f.account(), f.owner(), f.amount()), null);
  }

  private static L1Address owner(IntFunction<L1Address> owners, int account)
      throws UnprovableRecordException {
    L1Address o = owners.apply(account);
    if (o == null) {
      throw new UnprovableRecordException(
          "Withdrawn",
          "account "
              + account
              + " has no bound L1 owner (no L1 deposit seen): the message names it");
    }
    return o;
  }
}
