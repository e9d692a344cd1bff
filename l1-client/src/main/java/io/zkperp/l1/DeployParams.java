package io.zkperp.l1;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link RollupDeployer} deploys. Immutable; any thread.
 *
 * @param shape the circuit shape whose exported verifier is deployed: {@code "tiny"} (2 slots) or
 *     {@code "devnet"} (8 slots)
 * @param admin receives ADMIN_ROLE (parameters, verifier changes behind the timelock)
 * @param operator receives OPERATOR_ROLE (submits batches)
 * @param forcedActionDeadlineSeconds how long the operator has to serve a forced withdrawal or a
 *     deposit (7 days = 604,800 in production; short on the devnet)
 * @param verifierTimelockSeconds delay of a verifier change, at least the deadline plus {@link
 *     #REACTION_MARGIN_SECONDS} so users can leave first
 * @param forcedRequestFeeWei the ether (wei) each forced-withdrawal request pays, earned by the
 *     operator that serves it (≥ 0; 0 disables the fee)
 * @param collateral an existing ERC-20 to use as collateral, or empty to deploy the 6-decimal
 *     TestUSD (with its faucet)
 */
public record DeployParams(
    String shape,
    String admin,
    String operator,
    long forcedActionDeadlineSeconds,
    long verifierTimelockSeconds,
    BigInteger forcedRequestFeeWei,
    Optional<String> collateral) {

  /** One week, StarkEx's forced-action deadline. */
  public static final long PRODUCTION_DEADLINE_SECONDS = 7 * 24 * 3600;

  /**
   * The contract's {@code REACTION_MARGIN} (one day): the least by which the verifier timelock must
   * exceed the forced-action deadline.
   */
  public static final long REACTION_MARGIN_SECONDS = 24 * 3600;

  /** The devnet's forced-request fee: 0.001 ether. */
  public static final BigInteger DEVNET_FORCED_REQUEST_FEE_WEI = BigInteger.TEN.pow(15);

  /** Validates what the contract's constructor would refuse, so the error names the field. */
  public DeployParams {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(collateral, "collateral");
    if (!shape.equals("tiny") && !shape.equals("devnet")) {
      throw new IllegalArgumentException("shape must be tiny or devnet, got " + shape);
    }
    RollupTerms.validate(
        admin, operator, forcedActionDeadlineSeconds, verifierTimelockSeconds, forcedRequestFeeWei);
  }

  /**
   * Devnet parameters: TestUSD collateral, the given deadline, the shortest timelock allowed
   * (deadline + {@link #REACTION_MARGIN_SECONDS}), a forced-request fee of {@link
   * #DEVNET_FORCED_REQUEST_FEE_WEI}.
   *
   * @param shape the circuit shape
   * @param admin admin address
   * @param operator operator address
   * @param deadlineSeconds the forced-action deadline
   * @return the parameters
   */
  public static DeployParams devnet(
      String shape, String admin, String operator, long deadlineSeconds) {
    return new DeployParams(
        shape,
        admin,
        operator,
        deadlineSeconds,
        deadlineSeconds + REACTION_MARGIN_SECONDS,
        DEVNET_FORCED_REQUEST_FEE_WEI,
        Optional.empty());
  }
}
