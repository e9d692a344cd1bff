package io.zkperp.sequencer.core;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.TransferCollateral;

/**
 * The core's collateral commands: operator and signed deposits, withdrawals and transfers, and the
 * L1 priority queue (deposits credited and forced withdrawals served strictly in queue order; the
 * next index is the core's state, {@link SequencerCore#nextPriorityIndex()}). The amounts
 * themselves are the risk hook's business. Core thread.
 */
final class CoreCollateral extends CorePart {
  CoreCollateral(SequencerCore core) {
    super(core);
  }

  boolean collateral(int account, long amount, boolean deposit) {
    if (account < 0) {
      return core.reject(
          RejectReason.FIELD_OUT_OF_RANGE, "account " + account + " is negative; accounts are ≥ 0");
    }
    return core.passes(
        deposit ? core.risk.deposit(account, amount) : core.risk.withdraw(account, amount));
  }

  private boolean priorityOrder(long index) {
    if (index == core.nextPriorityIndex) {
      return true;
    }
    return core.reject(
        RejectReason.PRIORITY_OP_OUT_OF_ORDER,
        "L1 priority operation "
            + index
            + (index < core.nextPriorityIndex ? " was already consumed" : " is ahead of the queue")
            + "; the next is "
            + core.nextPriorityIndex);
  }

  boolean creditL1Deposit(CreditL1Deposit d) {
    if (!priorityOrder(d.priorityIndex()) || !collateral(d.account(), d.amount(), true)) {
      return false;
    }
    core.nextPriorityIndex++;
    return true;
  }

  boolean serveForcedWithdrawal(ServeL1ForcedWithdrawal f) {
    if (!priorityOrder(f.priorityIndex())) {
      return false;
    }
    if (f.account() < 0 || f.amount() < 0) {
      return core.reject(
          RejectReason.FIELD_OUT_OF_RANGE,
          "forced withdrawal of " + f.amount() + " from account " + f.account() + ": both ≥ 0");
    }
    // The queue must be served: a request the free collateral does not cover pays nothing.
    if (f.amount() > 0) {
      core.risk.withdraw(f.account(), f.amount()); // refused: pays nothing, changes nothing
    }
    core.nextPriorityIndex++;
    return true;
  }

  boolean transfer(TransferCollateral t) {
    if (t.from() < 0 || t.to() < 0 || t.from() == t.to()) {
      return core.reject(
          RejectReason.FIELD_OUT_OF_RANGE,
          "transfer from account "
              + t.from()
              + " to account "
              + t.to()
              + ": accounts must be ≥ 0 and different");
    }
    return core.passes(core.risk.transfer(t.from(), t.to(), t.amount()));
  }
}
