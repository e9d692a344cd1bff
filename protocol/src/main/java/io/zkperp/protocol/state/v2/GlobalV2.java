package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.Objects;

/**
 * The global leaf v2.
 *
 * <p>Immutable; any thread.
 *
 * @param feeBalance i64 collateral quanta of collected fees
 * @param oracleSigners the 16 oracle-signer slots
 * @param oracleQuorum how many distinct signers an oracle tick needs, 0 … 16
 * @param feeTiers the 8 fee tiers
 */
public record GlobalV2(
    long feeBalance, OracleSignerSet oracleSigners, int oracleQuorum, FeeTiers feeTiers) {
  /** The genesis content: fee balance 0, no signer, quorum 0, every tier (0, 0). */
  public static final GlobalV2 GENESIS = new GlobalV2(0, OracleSignerSet.EMPTY, 0, FeeTiers.ZERO);

  /**
   * Validates the components.
   *
   * @throws InvalidStateFieldException {@link StateFieldError#QUORUM_OUT_OF_RANGE}
   */
  public GlobalV2 {
    Objects.requireNonNull(oracleSigners, "oracleSigners");
    Objects.requireNonNull(feeTiers, "feeTiers");
    if (oracleQuorum < 0 || oracleQuorum > LayoutV2.ORACLE_SIGNER_SLOTS) {
      throw new InvalidStateFieldException(
          StateFieldError.QUORUM_OUT_OF_RANGE, "quorum " + oracleQuorum + " is not in [0, 16]");
    }
  }

  /**
   * {@code H(TAG_GLOBAL_V2, feeBalance, oracleSignersRoot, oracleQuorum, feeTiersRoot)}.
   *
   * @return the leaf hash
   */
  public Fr leafHash() {
    return Poseidon2.hash(
        LayoutV2.TAG_GLOBAL,
        Fr.fromLong(feeBalance),
        oracleSigners.root(),
        Fr.fromUnsignedLong(oracleQuorum),
        feeTiers.hash());
  }
}
