package io.zkperp.batcher.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import java.util.Objects;

/**
 * An L1 deposit (a priority operation) as the rollup contract queued it: it creates the account in
 * an empty slot with this key and owner, or credits the account bound to them. Immutable; any
 * thread.
 *
 * @param account the account id (unsigned 32 bits)
 * @param owner the depositor's L1 address, the account's bound owner
 * @param publicKeyX x of the account's L2 key
 * @param publicKeyY y of the account's L2 key
 * @param amount collateral quanta (unsigned 64 bits)
 */
public record DepositTransaction(
    int account, L1Address owner, Fr publicKeyX, Fr publicKeyY, long amount)
    implements CollateralTransaction {
  /** Validates that nothing is null. */
  public DepositTransaction {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(publicKeyX, "publicKeyX");
    Objects.requireNonNull(publicKeyY, "publicKeyY");
  }
}
