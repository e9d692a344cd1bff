package io.zkperp.batcher;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.EdDsaSignature;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.state.AccountProof;
import io.zkperp.state.RollupStateStore;
import io.zkperp.state.StateBatch;
import io.zkperp.state.StateRoots;
import io.zkperp.state.UpdateWitness;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds one proving batch: applies transactions to the rollup state in witness mode, refusing
 * invalid ones (by exactly the rules the circuit enforces) with a {@link
 * TransactionRejectedException} that leaves state and batch unchanged, and seals the batch — padded
 * with no-ops to its fixed size — into a {@link BatchWitness}, committing the state.
 *
 * <p>Holds the store's open {@link StateBatch}: one executor per store at a time, used by one
 * thread (the store's writer thread).
 */
public final class BatchExecutor implements AutoCloseable {
  private static final int MAX_ACCOUNT = (1 << StateLayout.ACCOUNTS_DEPTH) - 1;

  private final StateBatch state;
  private final int batchSize;
  private final long batchNumber;
  private final StateRoots before;
  private final Fr priorityHashBefore;
  private final List<BatchSlot> slots = new ArrayList<>();
  private Fr priorityHash;
  private int priorityCount;

  /**
   * Starts a batch on the store's current version.
   *
   * @param store the rollup state (no batch may be open)
   * @param batchSize the circuit shape's slot count
   * @param batchNumber the batch number
   * @param priorityHash the L1 priority-operation rolling hash before this batch's deposits
   */
  public BatchExecutor(RollupStateStore store, int batchSize, long batchNumber, Fr priorityHash) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1");
    }
    this.state = store.beginBatch();
    this.batchSize = batchSize;
    this.batchNumber = batchNumber;
    this.before = state.roots();
    this.priorityHashBefore = Objects.requireNonNull(priorityHash, "priorityHash");
    this.priorityHash = priorityHash;
  }

  /**
   * Transactions accepted so far.
   *
   * @return count
   */
  public int size() {
    return slots.size();
  }

  /**
   * The priority hash after the deposits accepted so far.
   *
   * @return the hash
   */
  public Fr priorityHash() {
    return priorityHash;
  }

  /**
   * The account as of this batch, if it exists.
   *
   * @param id account id
   * @return the account
   */
  public Optional<Account> account(int id) {
    return state.account(id);
  }

  /**
   * Validates and applies one transaction.
   *
   * @param tx the transaction
   * @throws TransactionRejectedException if it breaks a rule (state and batch unchanged)
   */
  public void apply(L2Transaction tx) throws TransactionRejectedException {
    Objects.requireNonNull(tx, "tx");
    if (slots.size() >= batchSize) {
      throw reject(
          RejectionReason.BATCH_FULL,
          "the batch holds " + batchSize + " transactions; seal it and start the next");
    }
    switch (tx) {
      case L2Transaction.Deposit d -> deposit(d);
      case L2Transaction.Withdrawal w -> withdrawal(w);
      case L2Transaction.Transfer t -> transfer(t);
      case L2Transaction.ForcedWithdrawal f -> forcedWithdrawal(f);
    }
  }

  private static TransactionRejectedException reject(RejectionReason r, String message) {
    return new TransactionRejectedException(r, message);
  }

  private static void checkAccountId(int id, String role) throws TransactionRejectedException {
    if (id < 0 || id > MAX_ACCOUNT) {
      throw reject(
          RejectionReason.ACCOUNT_OUT_OF_RANGE,
          role + " " + id + " is out of range; accounts are 0 … " + MAX_ACCOUNT);
    }
  }

  private static void checkAmount(long amount) throws TransactionRejectedException {
    if (amount < 0) {
      throw reject(
          RejectionReason.NEGATIVE_AMOUNT,
          "amount " + amount + " is negative; amounts are 0 … " + Long.MAX_VALUE);
    }
  }

  private Account existing(int id, String role) throws TransactionRejectedException {
    return state
        .account(id)
        .orElseThrow(
            () -> reject(RejectionReason.UNKNOWN_ACCOUNT, role + " " + id + " does not exist"));
  }

  private void deposit(L2Transaction.Deposit d) throws TransactionRejectedException {
    checkAccountId(d.account(), "account");
    checkAmount(d.amount());
    Fr kx = d.key().point().x();
    Fr ky = d.key().point().y();
    Optional<Account> old = state.account(d.account());
    Account next;
    if (old.isPresent()) {
      Account a = old.get();
      if (!a.owner().equals(d.owner())
          || !a.publicKeyX().equals(kx)
          || !a.publicKeyY().equals(ky)) {
        throw reject(
            RejectionReason.BINDING_MISMATCH,
            "account "
                + d.account()
                + " is bound to owner "
                + a.owner().toHex()
                + " and another key; a deposit must name the account's own owner and key");
      }
      long c = a.collateral() + d.amount();
      if (c < a.collateral()) {
        throw reject(
            RejectionReason.COLLATERAL_OVERFLOW,
            "collateral " + a.collateral() + " + " + d.amount() + " exceeds " + Long.MAX_VALUE);
      }
      next = new Account(a.publicKeyX(), a.publicKeyY(), a.owner(), a.nonce(), c);
    } else {
      next = new Account(kx, ky, d.owner(), 0, d.amount());
    }
    UpdateWitness a = state.setAccountWitnessed(d.account(), next);
    SlotUpdate ua = fromWitness(a);
    SlotUpdate ub = unchanged(0);
    priorityHash =
        TransactionMessages.nextPriorityHash(
            priorityHash,
            TransactionMessages.depositHash(d.account(), d.owner(), kx, ky, d.amount()));
    priorityCount++;
    slots.add(
        new BatchSlot(
            TxType.DEPOSIT,
            d.account(),
            0,
            d.amount(),
            0,
            d.owner(),
            kx,
            ky,
            Fr.ZERO,
            Fr.ZERO,
            Fr.ZERO,
            ua,
            ub,
            next.owner()));
  }

  private void forcedWithdrawal(L2Transaction.ForcedWithdrawal f)
      throws TransactionRejectedException {
    checkAccountId(f.account(), "account");
    checkAmount(f.amount());
    Account a = existing(f.account(), "account");
    if (!a.owner().equals(f.owner())) {
      throw reject(
          RejectionReason.BINDING_MISMATCH,
          "account "
              + f.account()
              + " is bound to owner "
              + a.owner().toHex()
              + "; the forced withdrawal names "
              + f.owner().toHex());
    }
    long paid = BatchWitness.forcedPaid(a.collateral(), f.amount());
    Account next =
        new Account(a.publicKeyX(), a.publicKeyY(), a.owner(), a.nonce(), a.collateral() - paid);
    SlotUpdate ua = fromWitness(state.setAccountWitnessed(f.account(), next));
    priorityHash =
        TransactionMessages.nextPriorityHash(
            priorityHash,
            TransactionMessages.forcedWithdrawalHash(f.account(), f.owner(), f.amount()));
    priorityCount++;
    slots.add(
        new BatchSlot(
            TxType.FORCED_WITHDRAWAL,
            f.account(),
            0,
            f.amount(),
            0,
            f.owner(),
            Fr.ZERO,
            Fr.ZERO,
            Fr.ZERO,
            Fr.ZERO,
            Fr.ZERO,
            ua,
            unchanged(0),
            a.owner()));
  }

  /** Checks nonce and signature of a signed transaction by account {@code id}. */
  private EdDsaSignature checkSigned(
      Account a, int id, long nonce, SignatureBytes signature, Fr message)
      throws TransactionRejectedException {
    if (a.nonce() == -1L) {
      throw reject(RejectionReason.NONCE_EXHAUSTED, "account " + id + " has used every nonce");
    }
    if (nonce != a.nonce()) {
      String when =
          Long.compareUnsigned(nonce, a.nonce()) < 0
              ? "was already used"
              : "is ahead of the account";
      throw reject(
          RejectionReason.BAD_NONCE,
          "nonce "
              + Long.toUnsignedString(nonce)
              + " "
              + when
              + "; account "
              + id
              + " accepts exactly nonce "
              + Long.toUnsignedString(a.nonce()));
    }
    EdDsaSignature sig;
    EdDsaPublicKey key;
    try {
      sig = EdDsaSignature.decode(signature.bytes());
      key = EdDsaPublicKey.of(a.publicKeyX(), a.publicKeyY());
    } catch (InvalidEncodingException e) {
      throw reject(RejectionReason.BAD_SIGNATURE, "signature does not decode: " + e.getMessage());
    }
    if (!EdDsa.verify(key, sig, message)) {
      throw reject(
          RejectionReason.BAD_SIGNATURE,
          "not a signature of account " + id + "'s key over this transaction and nonce");
    }
    return sig;
  }

  private void withdrawal(L2Transaction.Withdrawal w) throws TransactionRejectedException {
    checkAccountId(w.account(), "account");
    checkAmount(w.amount());
    Account a = existing(w.account(), "account");
    Fr msg = TransactionMessages.withdrawal(w.account(), a.owner(), w.amount(), w.nonce());
    EdDsaSignature sig = checkSigned(a, w.account(), w.nonce(), w.signature(), msg);
    Account next = debited(a, w.account(), "account", w.amount());
    SlotUpdate ua = fromWitness(state.setAccountWitnessed(w.account(), next));
    slots.add(signedSlot(TxType.WITHDRAWAL, w.account(), 0, w.amount(), sig, ua, unchanged(0), a));
  }

  /** The account after paying {@code amount} and using its nonce, or the overdraft rejection. */
  private static Account debited(Account a, int id, String role, long amount)
      throws TransactionRejectedException {
    if (a.collateral() < amount) {
      throw reject(
          RejectionReason.INSUFFICIENT_COLLATERAL,
          role
              + " "
              + id
              + " has collateral "
              + a.collateral()
              + "; it can pay at most "
              + Math.max(0, a.collateral()));
    }
    return new Account(
        a.publicKeyX(), a.publicKeyY(), a.owner(), a.nonce() + 1, a.collateral() - amount);
  }

  private static BatchSlot signedSlot(
      TxType type,
      int accountA,
      int accountB,
      long amount,
      EdDsaSignature sig,
      SlotUpdate ua,
      SlotUpdate ub,
      Account signer) {
    return new BatchSlot(
        type,
        accountA,
        accountB,
        amount,
        signer.nonce(),
        L1Address.ZERO,
        Fr.ZERO,
        Fr.ZERO,
        sig.r().x(),
        sig.r().y(),
        Fr.fromBigInteger(sig.s()),
        ua,
        ub,
        signer.owner());
  }

  private void transfer(L2Transaction.Transfer t) throws TransactionRejectedException {
    checkAccountId(t.from(), "sender");
    checkAccountId(t.to(), "receiver");
    checkAmount(t.amount());
    Account from = existing(t.from(), "sender");
    Account to = existing(t.to(), "receiver");
    Fr msg = TransactionMessages.transfer(t.from(), t.to(), t.amount(), t.nonce());
    EdDsaSignature sig = checkSigned(from, t.from(), t.nonce(), t.signature(), msg);
    Account fromNext = debited(from, t.from(), "sender", t.amount());
    Account toBase = t.to() == t.from() ? fromNext : to;
    long credited = toBase.collateral() + t.amount();
    if (credited < toBase.collateral()) {
      throw reject(
          RejectionReason.COLLATERAL_OVERFLOW,
          "receiver collateral "
              + toBase.collateral()
              + " + "
              + t.amount()
              + " exceeds "
              + Long.MAX_VALUE);
    }
    Account toNext =
        new Account(
            toBase.publicKeyX(), toBase.publicKeyY(), toBase.owner(), toBase.nonce(), credited);
    SlotUpdate ua = fromWitness(state.setAccountWitnessed(t.from(), fromNext));
    SlotUpdate ub = fromWitness(state.setAccountWitnessed(t.to(), toNext));
    slots.add(signedSlot(TxType.TRANSFER, t.from(), t.to(), t.amount(), sig, ua, ub, from));
  }

  private static SlotUpdate fromWitness(UpdateWitness w) {
    return new SlotUpdate(w.accountBefore(), w.steps().get(0).siblings());
  }

  private SlotUpdate unchanged(int id) {
    AccountProof p = state.accountProof(id);
    return new SlotUpdate(
        new io.zkperp.state.AccountLeaf(p.account(), p.positionsRoot(), p.fillsRoot()),
        p.proof().siblings());
  }

  /**
   * Pads the batch with no-ops (on account 0), commits the state and returns the batch's witness.
   * The executor is closed afterwards.
   *
   * @return the sealed batch
   */
  public BatchWitness seal() {
    while (slots.size() < batchSize) {
      SlotUpdate u = unchanged(0);
      slots.add(
          new BatchSlot(
              TxType.NOOP,
              0,
              0,
              0,
              0,
              L1Address.ZERO,
              Fr.ZERO,
              Fr.ZERO,
              Fr.ZERO,
              Fr.ZERO,
              Fr.ZERO,
              u,
              u,
              u.before().account() == null ? L1Address.ZERO : u.before().account().owner()));
    }
    StateRoots after = state.commit();
    return new BatchWitness(
        batchNumber, before, after, priorityHashBefore, priorityHash, priorityCount, slots);
  }

  /** Aborts the batch if it was not sealed: the state returns to where it started. */
  @Override
  public void close() {
    if (state.isOpen()) {
      state.abort();
    }
  }
}
