package io.zkperp.l1;

import java.util.Objects;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;

/**
 * The development accounts of a local node: BIP-44 keys {@code m/44'/60'/0'/0/i} of {@link
 * #MNEMONIC}, the mnemonic anvil and Hardhat use by default (account 0 is {@code 0xf39F…2266}). For
 * tests and the devnet only: these keys are public. Immutable; any thread.
 */
public final class DevAccounts {
  /** The well-known development mnemonic. */
  public static final String MNEMONIC =
      "test test test test test test test test test test test junk";

  /** Number of accounts {@link AnvilProcess} funds. */
  public static final int COUNT = 10;

  private static final int HARDENED = 0x8000_0000;

  private DevAccounts() {}

  /**
   * Account {@code index} of {@link #MNEMONIC}.
   *
   * @param index 0 ≤ index
   * @return its credentials
   */
  public static Credentials account(int index) {
    return account(MNEMONIC, index);
  }

  /**
   * Account {@code index} of a mnemonic, path {@code m/44'/60'/0'/0/index}, empty passphrase.
   *
   * @param mnemonic the BIP-39 mnemonic
   * @param index 0 ≤ index
   * @return its credentials
   */
  public static Credentials account(String mnemonic, int index) {
    Objects.requireNonNull(mnemonic, "mnemonic");
    if (index < 0) {
      throw new IllegalArgumentException("account index must be >= 0, got " + index);
    }
    Bip32ECKeyPair master =
        Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(mnemonic, ""));
    int[] path = {44 | HARDENED, 60 | HARDENED, HARDENED, 0, index};
    return Credentials.create(Bip32ECKeyPair.deriveKeyPair(master, path));
  }
}
