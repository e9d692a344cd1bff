package io.zkperp.batcher.v3;

import io.zkperp.protocol.state.L1Address;
import java.nio.ByteBuffer;

/**
 * The public data of the collateral steps (docs/batch-format.md, "Format v3 (draft): collateral
 * steps"), big-endian, type byte first (the type codes of format v2): account ids 3 bytes, amounts
 * 8 bytes, the owner's 20 bytes where L1 pays someone. Stateless; any thread.
 */
final class CollateralPublicData {
  static final byte DEPOSIT = 1;
  static final byte WITHDRAWAL = 2;
  static final byte TRANSFER = 3;
  static final byte FORCED_WITHDRAWAL = 4;

  private CollateralPublicData() {}

  /** {@code type} (1 byte). */
  static byte[] deposit() {
    return new byte[] {DEPOSIT};
  }

  /** {@code type ‖ account (3) ‖ amount (8) ‖ l1Owner (20)} (32 bytes). */
  static byte[] withdrawal(long account, long amount, L1Address owner) {
    return debit(WITHDRAWAL, account, amount, owner);
  }

  /** {@code type ‖ account (3) ‖ paid (8) ‖ l1Owner (20)} (32 bytes). */
  static byte[] forcedWithdrawal(long account, long paid, L1Address owner) {
    return debit(FORCED_WITHDRAWAL, account, paid, owner);
  }

  /** {@code type ‖ from (3) ‖ to (3) ‖ amount (8)} (15 bytes). */
  static byte[] transfer(long from, long to, long amount) {
    ByteBuffer b = ByteBuffer.allocate(15).put(TRANSFER);
    id3(b, from);
    id3(b, to);
    return b.putLong(amount).array();
  }

  private static byte[] debit(byte type, long account, long amount, L1Address owner) {
    ByteBuffer b = ByteBuffer.allocate(32).put(type);
    id3(b, account);
    return b.putLong(amount).put(owner.toBytes()).array();
  }

  private static void id3(ByteBuffer b, long id) {
    b.put((byte) (id >>> 16)).put((byte) (id >>> 8)).put((byte) id);
  }
}
