package io.zkperp.l1;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link RollupV3Deployer} deploys: TestUSD, the exported verifier of a format v3 shape and
 * {@code ZkPerpRollupV3} with a node's genesis. Immutable; any thread.
 *
 * @param shape the format v3 shape whose exported verifier is deployed: {@link #V3_TINY}, the one
 *     shape with keys and a Solidity verifier
 * @param admin receives ADMIN_ROLE
 * @param operator receives OPERATOR_ROLE (submits batches)
 * @param forcedActionDeadlineSeconds how long the operator has to serve a forced withdrawal or a
 *     deposit
 * @param verifierTimelockSeconds delay of a verifier change, at least the deadline plus {@link
 *     DeployParams#REACTION_MARGIN_SECONDS}
 * @param forcedRequestFeeWei the ether (wei) each forced-withdrawal request pays (≥ 0)
 * @param genesisStateRoot the layout v2 state root of the node's genesis ({@code
 *     V3StateTree.genesis()}), below the BN254 scalar field's modulus
 * @param firstAccountId the first account id L1 assigns (the node's genesis), ≥ 1
 * @param keysDomain the deployment the shape's Groth16 keys were set up for, whose rollup address
 *     the deployment must produce (checked before anything is sent), or empty to deploy anywhere
 */
public record DeployParamsV3(
    String shape,
    String admin,
    String operator,
    long forcedActionDeadlineSeconds,
    long verifierTimelockSeconds,
    BigInteger forcedRequestFeeWei,
    BigInteger genesisStateRoot,
    long firstAccountId,
    Optional<KeysDomain> keysDomain) {

  /** The format v3 shape with keys and an exported verifier ({@code V3TinyBatchVerifier}). */
  public static final String V3_TINY = "v3-tiny";

  /**
   * The one domain the {@code v3-tiny} keys exist for (set up by CI and cached in {@code
   * ~/.cache/zkperp/keys}): anvil's chain 31337 and the address of anvil account 0's contract at
   * nonce 2 (TestUSD at nonce 0, the verifier at 1, the rollup at 2). A v3 circuit holds its
   * deployment's chain id and rollup as constants, so another address needs its own Groth16 setup
   * (about 12 minutes on the 2-core CI machine).
   */
  public static final KeysDomain V3_TINY_KEYS =
      new KeysDomain(31_337, "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0");

  /**
   * A chain id and a rollup address: the deployment a v3 shape's keys were set up for.
   *
   * @param chainId the L1 chain id
   * @param rollup the rollup contract's address, 0x-hex
   */
  public record KeysDomain(long chainId, String rollup) {
    /** Checks for null. */
    public KeysDomain {
      Objects.requireNonNull(rollup, "rollup");
    }
  }

  /** Validates what the contract's constructor would refuse, so the error names the field. */
  public DeployParamsV3 {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(genesisStateRoot, "genesisStateRoot");
    Objects.requireNonNull(keysDomain, "keysDomain");
    if (!shape.equals(V3_TINY)) {
      throw new IllegalArgumentException(
          "shape must be " + V3_TINY + " (the one format v3 shape with a verifier), got " + shape);
    }
    RollupTerms.validate(
        admin, operator, forcedActionDeadlineSeconds, verifierTimelockSeconds, forcedRequestFeeWei);
    if (genesisStateRoot.signum() < 0 || genesisStateRoot.compareTo(BN254_R) >= 0) {
      throw new IllegalArgumentException(
          "genesisStateRoot must be a BN254 scalar (0 to r - 1), got " + genesisStateRoot);
    }
    if (firstAccountId < 1 || firstAccountId >= MAX_ACCOUNTS) {
      throw new IllegalArgumentException(
          "firstAccountId must be in [1, 2^24 - 2], got " + firstAccountId);
    }
  }

  /**
   * Devnet parameters for the {@code v3-tiny} keys' domain ({@link #V3_TINY_KEYS}): the given
   * deadline, the shortest timelock allowed (deadline + the reaction margin), a forced-request fee
   * of {@link DeployParams#DEVNET_FORCED_REQUEST_FEE_WEI}.
   *
   * @param admin admin address
   * @param operator operator address
   * @param deadlineSeconds the forced-action deadline
   * @param genesisStateRoot the node's genesis root
   * @param firstAccountId the node's first account id
   * @return the parameters
   */
  public static DeployParamsV3 devnet(
      String admin,
      String operator,
      long deadlineSeconds,
      BigInteger genesisStateRoot,
      long firstAccountId) {
    return new DeployParamsV3(
        V3_TINY,
        admin,
        operator,
        deadlineSeconds,
        deadlineSeconds + DeployParams.REACTION_MARGIN_SECONDS,
        DeployParams.DEVNET_FORCED_REQUEST_FEE_WEI,
        genesisStateRoot,
        firstAccountId,
        Optional.of(V3_TINY_KEYS));
  }

  /** The BN254 scalar field's modulus r (the contract's {@code Poseidon2.R}). */
  static final BigInteger BN254_R =
      new BigInteger(
          "21888242871839275222246405745257275088548364400416034343698204186575808495617");

  /** The contract's {@code MAX_ACCOUNTS}: 2^24 - 1. */
  static final long MAX_ACCOUNTS = (1L << 24) - 1;
}
