package io.zkperp.batcher.v3;

import io.zkperp.protocol.state.L1Address;
import java.util.Objects;

/**
 * A forced withdrawal requested on L1 (a priority operation): the account, the requester (who must
 * be its bound owner) and the amount requested. Immutable; any thread.
 *
 * @param account the account id (unsigned 32 bits)
 * @param owner the requester's L1 address
 * @param amount collateral quanta requested (unsigned 64 bits)
 */
public record ForcedWithdrawalTransaction(int account, L1Address owner, long amount)
    implements CollateralTransaction {
  /** Validates that the owner is present. */
  public ForcedWithdrawalTransaction {
    Objects.requireNonNull(owner, "owner");
  }
}
