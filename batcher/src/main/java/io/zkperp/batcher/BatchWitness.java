package io.zkperp.batcher;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.state.AccountLeaf;
import io.zkperp.state.StateRoots;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * A sealed proving batch: the state it starts from and ends in, its slots, and the derived byte
 * strings — the witness in batch format v1 ({@link #encode}), the commitment input ({@link
 * #commitmentInput}) and the public input ({@link #publicInput}). Immutable; any thread.
 *
 * @param batchNumber the batch number
 * @param before the state roots before the batch
 * @param after the state roots after the batch
 * @param priorityHashBefore L1 priority-operation rolling hash before the batch's deposits
 * @param priorityHashAfter the rolling hash after them
 * @param priorityCount the number of L1 priority operations (deposits, forced withdrawals) consumed
 * @param slots the slots, padding included
 */
public record BatchWitness(
    long batchNumber,
    StateRoots before,
    StateRoots after,
    Fr priorityHashBefore,
    Fr priorityHashAfter,
    int priorityCount,
    List<BatchSlot> slots) {

  /** Witness format version. */
  public static final int FORMAT_VERSION = 2;

  /** Bytes of the witness header. */
  public static final int HEADER_BYTES = 4 + 2 + 2 + 8 + 4 * Fr.BYTES;

  /** Bytes of one account leaf in a witness. */
  public static final int LEAF_BYTES = 1 + 32 + 32 + 20 + 8 + 8 + 32 + 32;

  /** Bytes of one update in a witness. */
  public static final int UPDATE_BYTES = LEAF_BYTES + 24 * Fr.BYTES;

  /** Bytes of one slot in a witness. */
  public static final int SLOT_BYTES = 1 + 4 + 4 + 8 + 8 + 20 + 5 * Fr.BYTES + 2 * UPDATE_BYTES;

  /** Bytes of the commitment header. */
  public static final int COMMITMENT_HEADER_BYTES = 32 + 32 + 8 + 32 + 32 + 4;

  /** Bytes of one slot's public-data chunk. */
  public static final int CHUNK_BYTES = 1 + 4 + 4 + 8 + 20;

  /** Copies the slots. */
  public BatchWitness {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(priorityHashBefore, "priorityHashBefore");
    Objects.requireNonNull(priorityHashAfter, "priorityHashAfter");
    slots = List.copyOf(slots);
  }

  /**
   * The exact witness length for a batch size.
   *
   * @param batchSize slots
   * @return bytes
   */
  public static int witnessBytes(int batchSize) {
    return HEADER_BYTES + batchSize * SLOT_BYTES;
  }

  /**
   * The witness in batch format v1 (docs/batch-format.md §3).
   *
   * @return a new array of {@link #witnessBytes} bytes
   */
  public byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(witnessBytes(slots.size()));
    out.put(new byte[] {'Z', 'K', 'P', 'W'});
    out.putShort((short) FORMAT_VERSION);
    out.putShort((short) slots.size());
    out.putLong(batchNumber);
    put(out, before.accountsRoot());
    put(out, before.marketsRoot());
    put(out, before.globalLeaf());
    put(out, priorityHashBefore);
    for (BatchSlot s : slots) {
      out.put((byte) s.type().code());
      out.putInt(s.accountA());
      out.putInt(s.accountB());
      out.putLong(s.amount());
      out.putLong(s.nonce());
      out.put(s.priorityOwner().toBytes());
      put(out, s.depositKeyX());
      put(out, s.depositKeyY());
      put(out, s.sigRX());
      put(out, s.sigRY());
      put(out, s.sigS());
      putUpdate(out, s.a());
      putUpdate(out, s.b());
    }
    return out.array();
  }

  private static void put(ByteBuffer out, Fr e) {
    out.put(e.toBytes());
  }

  private static void putUpdate(ByteBuffer out, SlotUpdate u) {
    AccountLeaf leaf = u.before();
    Account a = leaf.account();
    if (a == null) {
      out.put(new byte[LEAF_BYTES]);
    } else {
      out.put((byte) 1);
      put(out, a.publicKeyX());
      put(out, a.publicKeyY());
      out.put(a.owner().toBytes());
      out.putLong(a.nonce());
      out.putLong(a.collateral());
      put(out, leaf.positionsRoot());
      put(out, leaf.fillsRoot());
    }
    for (Fr s : u.siblings()) {
      put(out, s);
    }
  }

  /**
   * The public data of one slot: type ‖ account A ‖ account B ‖ amount ‖ L1 address (37 bytes).
   *
   * @param s the slot
   * @return the chunk
   */
  public static byte[] chunk(BatchSlot s) {
    ByteBuffer c = ByteBuffer.allocate(CHUNK_BYTES);
    c.put((byte) s.type().code());
    c.putInt(s.type() == TxType.NOOP ? 0 : s.accountA());
    c.putInt(s.type() == TxType.TRANSFER ? s.accountB() : 0);
    boolean forced = s.type() == TxType.FORCED_WITHDRAWAL;
    c.putLong(forced ? forcedPaid(s.a().before().account().collateral(), s.amount()) : s.amount());
    boolean paysOwner = s.type() == TxType.DEPOSIT || s.type() == TxType.WITHDRAWAL || forced;
    c.put(paysOwner ? s.ownerAfterA().toBytes() : new byte[20]);
    return c.array();
  }

  /**
   * What a forced withdrawal of {@code amount} pays from {@code collateral}: the amount if the
   * account holds it ({@code 0 ≤ amount ≤ collateral}), else 0 (refused) — the circuit's rule.
   *
   * @param collateral the account's collateral before
   * @param amount the requested amount (≥ 0)
   * @return the amount paid
   */
  public static long forcedPaid(long collateral, long amount) {
    return amount >= 0 && amount <= collateral ? amount : 0;
  }

  /**
   * The byte string whose SHA-256 is the public input (docs/batch-format.md §2): old state root ‖
   * new state root ‖ batch number ‖ priority hash before ‖ priority hash after ‖ priority count ‖
   * the slots' chunks.
   *
   * @return a new array
   */
  public byte[] commitmentInput() {
    ByteBuffer out = ByteBuffer.allocate(COMMITMENT_HEADER_BYTES + slots.size() * CHUNK_BYTES);
    put(out, before.stateRoot());
    put(out, after.stateRoot());
    out.putLong(batchNumber);
    put(out, priorityHashBefore);
    put(out, priorityHashAfter);
    out.putInt(priorityCount);
    for (BatchSlot s : slots) {
      out.put(chunk(s));
    }
    return out.array();
  }

  /**
   * The public input: SHA-256 of {@link #commitmentInput} with its top three bits cleared, as 32
   * big-endian bytes (always below r).
   *
   * @return a new 32-byte array
   */
  public byte[] publicInput() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(commitmentInput());
      d[0] &= 0x1f;
      return d;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
