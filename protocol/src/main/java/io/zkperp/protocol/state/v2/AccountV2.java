package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.Objects;

/**
 * The fields of an account leaf v2 that the account holds; the leaf also commits to the root of the
 * account's fills tree ({@link #leafHash}).
 *
 * <p>Immutable; any thread.
 *
 * @param identity key, owner and fee tier
 * @param nonce u64 counter of non-order signed transactions
 * @param collateral i64 collateral quanta
 * @param positions the 8 position entries
 */
public record AccountV2(
    AccountIdentity identity, long nonce, long collateral, PositionList positions) {
  /** Validates that no component is null. */
  public AccountV2 {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(positions, "positions");
  }

  /**
   * The insurance fund account at genesis: its identity, nonce 0, collateral 0, no position.
   *
   * @return the fund's genesis fields
   */
  public static AccountV2 insuranceFundAtGenesis() {
    return new AccountV2(AccountIdentity.INSURANCE_FUND, 0, 0, PositionList.EMPTY);
  }

  /**
   * {@code H(TAG_ACCOUNT_V2, identity, nonce, collateral, fillsRoot, q1, q2, q3, q4)}.
   *
   * @param fillsRoot root of the account's fills tree
   * @return the leaf hash
   */
  public Fr leafHash(Fr fillsRoot) {
    Fr[] q = positions.pack();
    return Poseidon2.hash(
        LayoutV2.TAG_ACCOUNT,
        identity.hash(),
        Fr.fromUnsignedLong(nonce),
        Fr.fromLong(collateral),
        fillsRoot,
        q[0],
        q[1],
        q[2],
        q[3]);
  }
}
