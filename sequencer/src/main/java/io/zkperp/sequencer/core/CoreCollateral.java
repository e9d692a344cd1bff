package io.zkperp.sequencer.core;

import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.ServeL1ForcedTrade;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.TransferCollateral;
import io.zkperp.sequencer.risk.ForcedTradeRequest;

/**
 * The core's collateral commands: operator and signed deposits, withdrawals and transfers, and the
 * L1 priority queue (deposits credited, forced withdrawals and forced trades served strictly in
 * queue order; the next index is the core's state, {@link SequencerCore#nextPriorityIndex()}). The
 * amounts themselves are the risk hook's business. Core thread.
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

  /**
   * Serves a forced trade in queue order: the risk hook decides it on A's fill slot of the nonce
   * and, when it executes, the slot is taken as {@code (nonce, size)}, closed, so that the request
   * cannot run twice (a replay is stale). Whatever the outcome the priority operation is consumed.
   */
  boolean serveForcedTrade(ServeL1ForcedTrade f) {
    if (!priorityOrder(f.priorityIndex())) {
      return false;
    }
    ForcedTradeRequest r = f.request();
    int slot = core.nonceSlots.find(r.accountA(), r.nonce());
    long slotNonce = slot < 0 ? 0 : core.nonceSlots.nonceAt(r.accountA(), slot);
    ForcedTradeReason reason =
        core.risk.forcedTrade(f.priorityIndex(), r, slotNonce, f.signatureValid());
    if (reason == null) {
      return core.reject(
          RejectReason.NO_RISK_ENGINE,
          "forced trades need a risk engine; this core runs without one");
    }
    if (reason == ForcedTradeReason.EXECUTED) {
      core.nonceSlots.set(r.accountA(), r.nonce(), r.size(), NonceSlots.CLOSED);
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
