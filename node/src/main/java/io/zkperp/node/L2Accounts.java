package io.zkperp.node;

import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.SignedTransferCollateral;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the node knows of each L2 account from the journal: the L1 owner and EdDSA key its first L1
 * deposit bound (the gateway's key directory: the depositor can sign orders once its deposit is
 * credited), and its next transaction nonce (withdrawals and transfers so far); and the next L1
 * priority index (the engine's, as the watcher must offer it). Fed with every accepted command in
 * journal order — the replay on start, then the journal thread — so it is rebuilt exactly after a
 * restart.
 *
 * <p>Threads: {@link #apply} from one thread at a time (replay, then the journal thread); the
 * getters from any thread.
 */
public final class L2Accounts implements PublicKeyDirectory {
  /**
   * An account as bound on L1.
   *
   * @param owner the L1 owner
   * @param key the EdDSA key
   * @param nextNonce its next withdrawal / transfer nonce
   */
  public record Bound(L1Address owner, EdDsaPublicKey key, long nextNonce) {}

  private final Map<Integer, Bound> accounts = new ConcurrentHashMap<>();
  private volatile long nextPriorityIndex;

  /** An empty book (no account bound, next priority index 0). */
  public L2Accounts() {}

  /**
   * Takes one accepted command into account.
   *
   * @param command the command, as journaled
   */
  public void apply(Command command) {
    switch (command) {
      case CreditL1Deposit d -> {
        accounts.computeIfAbsent(
            d.account(), a -> new Bound(d.owner(), EdDsaPublicKey.of(d.keyX(), d.keyY()), 0));
        nextPriorityIndex = d.priorityIndex() + 1;
      }
      case ServeL1ForcedWithdrawal f -> nextPriorityIndex = f.priorityIndex() + 1;
      case SignedWithdrawCollateral w -> bump(w.account());
      case SignedTransferCollateral t -> bump(t.from());
      default -> {}
    }
  }

  private void bump(int account) {
    accounts.computeIfPresent(account, (a, b) -> new Bound(b.owner(), b.key(), b.nextNonce() + 1));
  }

  /**
   * An account.
   *
   * @param account the id
   * @return its binding, or null if no L1 deposit has been credited to it
   */
  public Bound account(int account) {
    return accounts.get(account);
  }

  /**
   * The next L1 priority index the engine accepts (every lower one is journaled).
   *
   * @return the index
   */
  public long nextPriorityIndex() {
    return nextPriorityIndex;
  }

  @Override
  public EdDsaPublicKey publicKey(int account) {
    Bound b = accounts.get(account);
    return b == null ? null : b.key();
  }
}
