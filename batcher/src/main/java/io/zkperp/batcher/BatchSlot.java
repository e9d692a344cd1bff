package io.zkperp.batcher;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import java.util.Objects;

/**
 * One transaction slot of a sealed batch: the transaction's fields as the witness carries them
 * (zero where the type does not use them) and its two updates. Immutable; any thread.
 *
 * @param type the type
 * @param accountA deposit/withdrawal: the account; transfer: sender; no-op: the account whose path
 *     update A uses
 * @param accountB transfer: receiver; otherwise the account whose path update B uses (0 for
 *     deposits and withdrawals)
 * @param amount collateral quanta
 * @param nonce signed transactions: the account nonce used; else 0
 * @param priorityOwner priority operations (deposits, forced withdrawals): the L1 owner they name;
 *     else {@link L1Address#ZERO}
 * @param depositKeyX deposits: the key's x; else 0
 * @param depositKeyY deposits: the key's y; else 0
 * @param sigRX signed transactions: R.x; else 0
 * @param sigRY signed transactions: R.y; else 0
 * @param sigS signed transactions: S; else 0
 * @param a update A
 * @param b update B
 * @param ownerAfterA the owner of account A after the slot (the public data's address for deposits
 *     and withdrawals)
 */
public record BatchSlot(
    TxType type,
    int accountA,
    int accountB,
    long amount,
    long nonce,
    L1Address priorityOwner,
    Fr depositKeyX,
    Fr depositKeyY,
    Fr sigRX,
    Fr sigRY,
    Fr sigS,
    SlotUpdate a,
    SlotUpdate b,
    L1Address ownerAfterA) {
  /** Checks for nulls. */
  public BatchSlot {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(priorityOwner, "priorityOwner");
    Objects.requireNonNull(depositKeyX, "depositKeyX");
    Objects.requireNonNull(depositKeyY, "depositKeyY");
    Objects.requireNonNull(sigRX, "sigRX");
    Objects.requireNonNull(sigRY, "sigRY");
    Objects.requireNonNull(sigS, "sigS");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(ownerAfterA, "ownerAfterA");
  }
}
