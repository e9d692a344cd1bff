package io.zkperp.sequencer.command;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import java.util.Objects;

/**
 * Credits a deposit queued on L1 (the rollup's {@code DepositQueued} event) to its account: the
 * L1-backed form of {@link DepositCollateral}. The core accepts it only as the next L1 priority
 * operation ({@code priorityIndex} equal to {@link
 * io.zkperp.sequencer.core.SequencerCore#nextPriorityIndex()}), so a deposit is credited exactly
 * once and in queue order; another index is refused {@link
 * io.zkperp.sequencer.RejectReason#PRIORITY_OP_OUT_OF_ORDER} and changes nothing. The owner and key
 * are carried (and journaled) for the settlement, which registers them in the account's leaf on the
 * first deposit, and for the gateway's key directory. Immutable; any thread.
 *
 * @param priorityIndex the deposit's position in the L1 priority queue (≥ 0)
 * @param account the account (≥ 0)
 * @param owner the L1 address that deposited (the account's bound owner)
 * @param keyX the account's EdDSA public key, affine x
 * @param keyY the account's EdDSA public key, affine y
 * @param amount collateral quanta (&gt; 0)
 */
public record CreditL1Deposit(
    long priorityIndex, int account, L1Address owner, Fr keyX, Fr keyY, long amount)
    implements Command {
  /** Checks for nulls. */
  public CreditL1Deposit {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(keyX, "keyX");
    Objects.requireNonNull(keyY, "keyY");
  }
}
