package io.zkperp.node;

import io.zkperp.batcher.L2Transaction;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.SequencerBridge;
import io.zkperp.node.rpc.SettlementMethods;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.SignedTransferCollateral;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Signed withdrawals and transfers into the engine, checked first so that what the engine journals
 * the circuit will accept: the account (and a transfer's receiver) is bound by a credited L1
 * deposit, the nonce is the account's next, and the signature in the format the node settles
 * ({@link TransactionSignatureFormat}: format 1 on a format v2 node, format 2 in the deployment's
 * domain on a format v3 node) verifies under the account's key; a transfer the node's batch shape
 * has no slot for is refused. A failed check is a {@link NodeRejectedException} and nothing is
 * submitted. Submissions are serialized (one waits for the journal before the next is checked), so
 * two with the same nonce cannot both pass.
 *
 * <p>Threads: any; {@link #attach} once before the first submission.
 */
public final class SignedTransactions implements SettlementMethods.Submitter {
  private final L2Accounts accounts;
  private final TransactionSignatureFormat format;
  private volatile SequencerBridge bridge;

  /**
   * The submissions of a format v2 node: signatures in format 1.
   *
   * @param accounts the accounts bound by L1 deposits
   */
  public SignedTransactions(L2Accounts accounts) {
    this(accounts, Format1Transactions.INSTANCE);
  }

  /**
   * The submissions of a node that settles the given format.
   *
   * @param accounts the accounts bound by L1 deposits
   * @param format the signed-message format of the node's batches
   */
  public SignedTransactions(L2Accounts accounts, TransactionSignatureFormat format) {
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.format = Objects.requireNonNull(format, "format");
  }

  /**
   * The signed-message format withdrawals and transfers are checked in.
   *
   * @return the format
   */
  public TransactionSignatureFormat format() {
    return format;
  }

  /**
   * Sets where commands go.
   *
   * @param b the gateway's bridge
   */
  public void attach(SequencerBridge b) {
    this.bridge = Objects.requireNonNull(b);
  }

  /**
   * Checks and submits a withdrawal to the account's bound L1 owner.
   *
   * @param w the withdrawal
   * @return the engine's outcome (journaled when accepted)
   * @throws NodeRejectedException if a check fails (nothing was submitted)
   * @throws IOException if the engine does not answer
   */
  @Override
  public synchronized CommandOutcome withdraw(L2Transaction.Withdrawal w) throws IOException {
    L2Accounts.Bound b = bound(w.account());
    checkNonce(w.account(), b, w.nonce());
    checkSignature(format.verifies(w, b), "withdrawal");
    return submit(
        new SignedWithdrawCollateral(w.account(), w.amount(), w.nonce(), w.signature().bytes()));
  }

  /**
   * Checks and submits a transfer.
   *
   * @param t the transfer
   * @return the engine's outcome
   * @throws NodeRejectedException if a check fails (nothing was submitted)
   * @throws IOException if the engine does not answer
   */
  @Override
  public synchronized CommandOutcome transfer(L2Transaction.Transfer t) throws IOException {
    format.checkTransferSettles();
    L2Accounts.Bound b = bound(t.from());
    bound(t.to());
    checkNonce(t.from(), b, t.nonce());
    checkSignature(format.verifies(t, b), "transfer");
    return submit(
        new SignedTransferCollateral(
            t.from(), t.to(), t.amount(), t.nonce(), t.signature().bytes()));
  }

  private L2Accounts.Bound bound(int account) {
    L2Accounts.Bound b = accounts.account(account);
    if (b == null) {
      throw new NodeRejectedException(
          NodeRejectedException.Reason.UNKNOWN_ACCOUNT,
          "account " + account + " has no credited L1 deposit");
    }
    return b;
  }

  private static void checkNonce(int account, L2Accounts.Bound b, long nonce) {
    if (nonce != b.nextNonce()) {
      throw new NodeRejectedException(
          NodeRejectedException.Reason.WRONG_NONCE,
          "account " + account + " expects nonce " + b.nextNonce() + ", got " + nonce);
    }
  }

  private void checkSignature(boolean ok, String what) {
    if (!ok) {
      throw new NodeRejectedException(
          NodeRejectedException.Reason.BAD_SIGNATURE,
          "the " + what + "'s signature does not verify under the account's key in " + format);
    }
  }

  private CommandOutcome submit(Command c) throws IOException {
    try {
      return bridge.submit(c).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(c + " got no answer: " + e, e);
    }
  }
}
