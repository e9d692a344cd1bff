package io.zkperp.node.v3;

import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.protocol.field.Fr;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The values {@code ZkPerpRollupV3}'s constructor takes as its {@code Genesis}: the layout v2 state
 * root {@link EngineGenesis} wrote, the first account id L1 assigns, and the collateral the genesis
 * holds (the deployer funds it). Immutable; any thread.
 *
 * @param stateRoot the genesis state root
 * @param firstAccountId the first account id L1 assigns (engine account ids start there)
 * @param collateral the collateral in the genesis state (0: no account at genesis)
 */
public record V3Genesis(Fr stateRoot, long firstAccountId, long collateral) {
  /** Checks for null and the ranges. */
  public V3Genesis {
    Objects.requireNonNull(stateRoot, "stateRoot");
    if (firstAccountId < 1 || collateral < 0) {
      throw new IllegalArgumentException("firstAccountId ≥ 1 and collateral ≥ 0");
    }
  }

  /**
   * The constructor argument of {@code ZkPerpRollupV3} (the web3j wrapper's struct).
   *
   * @return root, first account id, collateral
   */
  public ZkPerpRollupV3.Genesis toContract() {
    return new ZkPerpRollupV3.Genesis(
        stateRoot.toBigInteger(),
        BigInteger.valueOf(firstAccountId),
        BigInteger.valueOf(collateral));
  }
}
