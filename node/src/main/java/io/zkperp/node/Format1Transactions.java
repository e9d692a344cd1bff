package io.zkperp.node;

import io.zkperp.batcher.L2Transaction;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.TransactionMessages;

/**
 * Signed-message format 1, what format v2 batches prove: the batcher's {@link TransactionMessages}
 * (no domain). Every transfer settles. Stateless; any thread.
 */
public enum Format1Transactions implements TransactionSignatureFormat {
  /** The one instance. */
  INSTANCE;

  @Override
  public int version() {
    return 1;
  }

  @Override
  public boolean verifies(L2Transaction.Withdrawal w, L2Accounts.Bound account) {
    return verify(
        account,
        w.signature().bytes(),
        TransactionMessages.withdrawal(w.account(), account.owner(), w.amount(), w.nonce()));
  }

  @Override
  public boolean verifies(L2Transaction.Transfer t, L2Accounts.Bound sender) {
    return verify(
        sender,
        t.signature().bytes(),
        TransactionMessages.transfer(t.from(), t.to(), t.amount(), t.nonce()));
  }

  @Override
  public void checkTransferSettles() {}

  @Override
  public String toString() {
    return "signed-message format 1 (no domain)";
  }

  private static boolean verify(L2Accounts.Bound b, byte[] sig, Fr msg) {
    try {
      return EdDsa.verify(b.key(), sig, msg);
    } catch (RuntimeException e) {
      return false; // malformed signature bytes
    }
  }
}
