package io.zkperp.bench;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.StateLayout;

/**
 * The accounts of the populated benchmark tree: the i-th account has id {@code i·0x3779B1 mod 2^24}
 * (an odd multiplier, so ids are distinct and spread over the whole tree) and realistic field
 * values.
 */
final class BenchAccounts {
  private static final int MASK = (1 << StateLayout.ACCOUNTS_DEPTH) - 1;
  private static final Fr KEY_X =
      Fr.fromHex("0x0a9ea421192d00507c9b85a325e151629b5c9145711d83df94a463f1c8b8e406");
  private static final Fr KEY_Y =
      Fr.fromHex("0x09f5086382fa88d80ce7ab80c44389718e13aeffd88e533c1d76dd29a68e67b9");

  private BenchAccounts() {}

  static int id(int i) {
    return (int) (((long) i * 0x3779B1L) & MASK);
  }

  static Account account(int i, long collateral) {
    byte[] owner = new byte[20];
    owner[0] = (byte) 0xA1;
    owner[16] = (byte) (i >>> 24);
    owner[17] = (byte) (i >>> 16);
    owner[18] = (byte) (i >>> 8);
    owner[19] = (byte) i;
    return new Account(KEY_X, KEY_Y, L1Address.of(owner), i, collateral);
  }
}
