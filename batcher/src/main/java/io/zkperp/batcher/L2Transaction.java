package io.zkperp.batcher;

import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.protocol.state.L1Address;
import java.util.Objects;

/**
 * An L2 transaction of batch format v1. Amounts are collateral quanta ({@code long} ≥ 0); nonces
 * are unsigned 64-bit. Immutable; any thread.
 */
public sealed interface L2Transaction {
  /**
   * The transaction's type.
   *
   * @return the type
   */
  TxType type();

  /**
   * A deposit (an L1 priority operation): creates account {@code account} bound to {@code owner}
   * and {@code key}, or credits it if it exists with the same binding.
   *
   * @param account account id
   * @param owner the L1 owner
   * @param key the L2 key
   * @param amount collateral quanta, ≥ 0
   */
  record Deposit(int account, L1Address owner, EdDsaPublicKey key, long amount)
      implements L2Transaction {
    /** Checks for nulls. */
    public Deposit {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(key, "key");
    }

    @Override
    public TxType type() {
      return TxType.DEPOSIT;
    }
  }

  /**
   * A withdrawal of {@code amount} from {@code account} to its bound owner, signed over {@link
   * TransactionMessages#withdrawal}.
   *
   * @param account account id
   * @param amount collateral quanta, ≥ 0
   * @param nonce the account nonce this uses
   * @param signature the 64-byte EdDSA signature (compressed R ‖ S)
   */
  record Withdrawal(int account, long amount, long nonce, SignatureBytes signature)
      implements L2Transaction {
    /** Checks for nulls. */
    public Withdrawal {
      Objects.requireNonNull(signature, "signature");
    }

    @Override
    public TxType type() {
      return TxType.WITHDRAWAL;
    }
  }

  /**
   * The service of a forced withdrawal requested on L1 (a priority operation) by {@code owner} for
   * {@code amount} of account {@code account}'s collateral: paid in full if the account holds it,
   * refused (paid 0, consumed all the same) otherwise. Unsigned: the L1 request is the authority.
   *
   * @param account account id
   * @param owner the requester, the account's bound owner
   * @param amount requested collateral quanta, ≥ 0
   */
  record ForcedWithdrawal(int account, L1Address owner, long amount) implements L2Transaction {
    /** Checks for nulls. */
    public ForcedWithdrawal {
      Objects.requireNonNull(owner, "owner");
    }

    @Override
    public TxType type() {
      return TxType.FORCED_WITHDRAWAL;
    }
  }

  /**
   * A transfer of {@code amount} from {@code from} to {@code to}, signed by the sender over {@link
   * TransactionMessages#transfer}.
   *
   * @param from sender account id
   * @param to receiver account id
   * @param amount collateral quanta, ≥ 0
   * @param nonce the sender's account nonce this uses
   * @param signature the 64-byte EdDSA signature (compressed R ‖ S)
   */
  record Transfer(int from, int to, long amount, long nonce, SignatureBytes signature)
      implements L2Transaction {
    /** Checks for nulls. */
    public Transfer {
      Objects.requireNonNull(signature, "signature");
    }

    @Override
    public TxType type() {
      return TxType.TRANSFER;
    }
  }
}
