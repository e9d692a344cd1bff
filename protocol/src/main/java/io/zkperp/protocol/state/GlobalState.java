package io.zkperp.protocol.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;

/**
 * The global leaf: balances that belong to the rollup rather than to an account.
 *
 * @param insuranceFund i64 insurance fund balance in collateral quanta
 * @param feeBalance i64 collected fees in collateral quanta
 */
public record GlobalState(long insuranceFund, long feeBalance) {
  /** The genesis value: both balances 0. */
  public static final GlobalState GENESIS = new GlobalState(0, 0);

  /** Length of {@link #toBytes()}. */
  public static final int ENCODED_BYTES = 16;

  /**
   * {@code H(TAG_GLOBAL, insuranceFund, feeBalance)}.
   *
   * @return the leaf hash
   */
  public Fr leafHash() {
    return Poseidon2.hash(
        StateLayout.TAG_GLOBAL, Fr.fromLong(insuranceFund), Fr.fromLong(feeBalance));
  }

  /**
   * insuranceFund ‖ feeBalance, 8 bytes each, big-endian.
   *
   * @return 16 bytes
   */
  public byte[] toBytes() {
    byte[] b = new byte[ENCODED_BYTES];
    Bytes8.put(b, 0, insuranceFund);
    Bytes8.put(b, 8, feeBalance);
    return b;
  }

  /**
   * Parses {@link #toBytes()}.
   *
   * @param b 16 bytes
   * @return the global state
   */
  public static GlobalState fromBytes(byte[] b) {
    Bytes8.requireLength(b, ENCODED_BYTES, "global");
    return new GlobalState(Bytes8.get(b, 0), Bytes8.get(b, 8));
  }
}
