package io.zkperp.sequencer.command;

import io.zkperp.protocol.state.L1Address;
import java.util.Objects;

/**
 * Serves a forced withdrawal requested on L1 (the rollup's {@code ForcedWithdrawalRequested}
 * event). Like {@link CreditL1Deposit} it is accepted only as the next L1 priority operation
 * (otherwise {@link io.zkperp.sequencer.RejectReason#PRIORITY_OP_OUT_OF_ORDER}, nothing changes).
 * Once in order it is always accepted, because the queue must be served: it pays {@code amount}
 * (record {@code Withdrawn}) if the account's free collateral covers it, and pays nothing (no
 * record) otherwise; either way the priority operation is consumed. Immutable; any thread.
 *
 * @param priorityIndex the request's position in the L1 priority queue (≥ 0)
 * @param account the account (≥ 0)
 * @param owner the requester (the account's bound owner; L1 pays it)
 * @param amount requested collateral quanta (≥ 0)
 */
public record ServeL1ForcedWithdrawal(long priorityIndex, int account, L1Address owner, long amount)
    implements Command {
  /** Checks for nulls. */
  public ServeL1ForcedWithdrawal {
    Objects.requireNonNull(owner, "owner");
  }
}
