package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.L1Address;
import java.util.Objects;

/**
 * The account fields a trade never changes; the account leaf commits to their hash.
 *
 * <p>Immutable; any thread.
 *
 * @param publicKeyX x of the L2 EdDSA key, 0 when none (the insurance fund)
 * @param publicKeyY y of the L2 EdDSA key, 0 when none
 * @param owner the L1 address that receives withdrawals and may force exits
 * @param feeTier index into the fee tiers, 0 … 7
 */
public record AccountIdentity(Fr publicKeyX, Fr publicKeyY, L1Address owner, int feeTier) {
  /** The insurance fund's identity: key (0, 0), owner 0, tier 0. */
  public static final AccountIdentity INSURANCE_FUND =
      new AccountIdentity(Fr.ZERO, Fr.ZERO, L1Address.of(new byte[L1Address.BYTES]), 0);

  /**
   * Validates the components.
   *
   * @throws InvalidStateFieldException {@link StateFieldError#FEE_TIER_OUT_OF_RANGE}
   */
  public AccountIdentity {
    Objects.requireNonNull(publicKeyX, "publicKeyX");
    Objects.requireNonNull(publicKeyY, "publicKeyY");
    Objects.requireNonNull(owner, "owner");
    if (feeTier < 0 || feeTier >= LayoutV2.FEE_TIERS) {
      throw new InvalidStateFieldException(
          StateFieldError.FEE_TIER_OUT_OF_RANGE, "fee tier " + feeTier + " is not in [0, 7]");
    }
  }

  /**
   * {@code H(TAG_ACCOUNT_IDENTITY_V2, publicKeyX, publicKeyY, owner, feeTier)}.
   *
   * @return the identity hash
   */
  public Fr hash() {
    return Poseidon2.hash(
        LayoutV2.TAG_ACCOUNT_IDENTITY,
        publicKeyX,
        publicKeyY,
        owner.toField(),
        Fr.fromUnsignedLong(feeTier));
  }
}
