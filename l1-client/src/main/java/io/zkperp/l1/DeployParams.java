package io.zkperp.l1;

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
 * @param verifierTimelockSeconds delay of a verifier change, greater than the deadline so users can
 *     leave first
 * @param collateral an existing ERC-20 to use as collateral, or empty to deploy the 6-decimal
 *     TestUSD (with its faucet)
 */
public record DeployParams(
    String shape,
    String admin,
    String operator,
    long forcedActionDeadlineSeconds,
    long verifierTimelockSeconds,
    Optional<String> collateral) {

  /** One week, StarkEx's forced-action deadline. */
  public static final long PRODUCTION_DEADLINE_SECONDS = 7 * 24 * 3600;

  /** Validates what the contract's constructor would refuse, so the error names the field. */
  public DeployParams {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(collateral, "collateral");
    if (!shape.equals("tiny") && !shape.equals("devnet")) {
      throw new IllegalArgumentException("shape must be tiny or devnet, got " + shape);
    }
    if (forcedActionDeadlineSeconds <= 0 || forcedActionDeadlineSeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "forcedActionDeadlineSeconds must be in [1, 2^32 - 1], got "
              + forcedActionDeadlineSeconds);
    }
    if (verifierTimelockSeconds <= forcedActionDeadlineSeconds) {
      throw new IllegalArgumentException(
          "verifierTimelockSeconds ("
              + verifierTimelockSeconds
              + ") must exceed forcedActionDeadlineSeconds ("
              + forcedActionDeadlineSeconds
              + ")");
    }
  }

  /**
   * Devnet parameters: TestUSD collateral, the given deadline, a timelock of twice the deadline.
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
        shape, admin, operator, deadlineSeconds, 2 * deadlineSeconds, Optional.empty());
  }
}
