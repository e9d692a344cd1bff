package io.zkperp.node;

import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.ServeL1ForcedTrade;
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
 * <p>It is part of the node's snapshots ({@link #encode} / {@link #restore}, inside {@link
 * NodeReadSide}), so a restart from a snapshot restores it as of the snapshot's record and replays
 * only the journal after it.
 *
 * <p>Threads: {@link #apply}, {@link #encode} and {@link #restore} from one thread at a time
 * (replay, then the journal thread; a replica's copy on the replica thread); the getters from any
 * thread.
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
      case ServeL1ForcedTrade f -> nextPriorityIndex = f.priorityIndex() + 1;
      case SignedWithdrawCollateral w -> bump(w.account());
      case SignedTransferCollateral t -> bump(t.from());
      default -> {}
    }
  }

  /**
   * The book's state, canonical (accounts in id order): {@code u32 version=1 | i64 next priority
   * index | u32 n | n × (i32 account | owner[20] | key x[32] | key y[32] | i64 next nonce)}.
   *
   * @return the bytes
   */
  public byte[] encode() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeInt(1);
      out.writeLong(nextPriorityIndex);
      java.util.TreeMap<Integer, Bound> sorted = new java.util.TreeMap<>(accounts);
      out.writeInt(sorted.size());
      for (var e : sorted.entrySet()) {
        out.writeInt(e.getKey());
        out.write(e.getValue().owner().toBytes());
        out.write(e.getValue().key().point().x().toBytes());
        out.write(e.getValue().key().point().y().toBytes());
        out.writeLong(e.getValue().nextNonce());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // in memory: cannot happen
    }
    return bytes.toByteArray();
  }

  /**
   * Replaces the book with an {@link #encode}d state.
   *
   * @param state the bytes
   * @throws java.io.IOException if they are not a whole, valid state (the book is left empty)
   */
  public void restore(byte[] state) throws java.io.IOException {
    accounts.clear();
    nextPriorityIndex = 0;
    java.io.DataInputStream in =
        new java.io.DataInputStream(new java.io.ByteArrayInputStream(state));
    try {
      int version = in.readInt();
      if (version != 1) {
        throw new java.io.IOException("L2 accounts state version " + version + ", expected 1");
      }
      long next = in.readLong();
      int n = in.readInt();
      if (n < 0 || next < 0) {
        throw new java.io.IOException("L2 accounts state: negative count or index");
      }
      java.util.Map<Integer, Bound> read = new java.util.HashMap<>();
      for (int i = 0; i < n; i++) {
        int id = in.readInt();
        byte[] owner = in.readNBytes(L1Address.BYTES);
        byte[] x = in.readNBytes(32);
        byte[] y = in.readNBytes(32);
        long nonce = in.readLong();
        if (y.length != 32 || nonce < 0) {
          throw new java.io.IOException("L2 accounts state: account " + id + " cut short");
        }
        read.put(
            id,
            new Bound(
                L1Address.of(owner),
                EdDsaPublicKey.of(
                    io.zkperp.protocol.field.Fr.fromBytes(x),
                    io.zkperp.protocol.field.Fr.fromBytes(y)),
                nonce));
      }
      if (in.available() != 0) {
        throw new java.io.IOException(
            "L2 accounts state: " + in.available() + " bytes after the last account");
      }
      accounts.putAll(read);
      nextPriorityIndex = next;
    } catch (java.io.EOFException | RuntimeException e) {
      accounts.clear();
      throw new java.io.IOException("L2 accounts state is cut short or invalid: " + e, e);
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
   * Every bound account's L1 owner (a copy): the owners the format v3 translator restores from a
   * snapshot, which binds them from the same first deposit.
   *
   * @return account → owner
   */
  public Map<Integer, L1Address> owners() {
    Map<Integer, L1Address> out = new java.util.HashMap<>();
    accounts.forEach((id, b) -> out.put(id, b.owner()));
    return out;
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
