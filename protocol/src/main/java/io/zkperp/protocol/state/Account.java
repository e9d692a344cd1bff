package io.zkperp.protocol.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.Objects;

/**
 * The fields of an account leaf that the account itself holds; the leaf also commits to the roots
 * of the account's positions and fills trees ({@link #leafHash}).
 *
 * @param publicKeyX x of the L2 EdDSA public key, 0 when the account has no key
 * @param publicKeyY y of the L2 EdDSA public key, 0 when the account has no key
 * @param owner the L1 address that receives withdrawals
 * @param nonce u64 counter of non-order signed transactions
 * @param collateral i64 collateral balance in collateral quanta
 */
public record Account(Fr publicKeyX, Fr publicKeyY, L1Address owner, long nonce, long collateral) {
  /** Length of {@link #toBytes()}. */
  public static final int ENCODED_BYTES = 2 * Fr.BYTES + L1Address.BYTES + 16;

  /** Validates that no component is null. */
  public Account {
    Objects.requireNonNull(publicKeyX, "publicKeyX");
    Objects.requireNonNull(publicKeyY, "publicKeyY");
    Objects.requireNonNull(owner, "owner");
  }

  /**
   * {@code H(TAG_ACCOUNT, publicKeyX, publicKeyY, owner, nonce, collateral, positionsRoot,
   * fillsRoot)}.
   *
   * @param positionsRoot root of the account's positions tree
   * @param fillsRoot root of the account's fills tree
   * @return the leaf hash
   */
  public Fr leafHash(Fr positionsRoot, Fr fillsRoot) {
    return Poseidon2.hash(
        StateLayout.TAG_ACCOUNT,
        publicKeyX,
        publicKeyY,
        owner.toField(),
        Fr.fromUnsignedLong(nonce),
        Fr.fromLong(collateral),
        positionsRoot,
        fillsRoot);
  }

  /**
   * Fixed-width binary form: publicKeyX ‖ publicKeyY (32 bytes each) ‖ owner (20) ‖ nonce (8) ‖
   * collateral (8), integers big-endian.
   *
   * @return 100 bytes
   */
  public byte[] toBytes() {
    byte[] b = new byte[ENCODED_BYTES];
    publicKeyX.writeBytes(b, 0);
    publicKeyY.writeBytes(b, 32);
    System.arraycopy(owner.toBytes(), 0, b, 64, L1Address.BYTES);
    Bytes8.put(b, 84, nonce);
    Bytes8.put(b, 92, collateral);
    return b;
  }

  /**
   * Parses {@link #toBytes()}.
   *
   * @param b 100 bytes
   * @return the account
   * @throws io.zkperp.protocol.encoding.InvalidEncodingException on a wrong length or a
   *     non-canonical key coordinate
   */
  public static Account fromBytes(byte[] b) {
    Bytes8.requireLength(b, ENCODED_BYTES, "account");
    byte[] owner = new byte[L1Address.BYTES];
    System.arraycopy(b, 64, owner, 0, L1Address.BYTES);
    return new Account(
        Fr.fromBytes(b, 0),
        Fr.fromBytes(b, 32),
        L1Address.of(owner),
        Bytes8.get(b, 84),
        Bytes8.get(b, 92));
  }
}
