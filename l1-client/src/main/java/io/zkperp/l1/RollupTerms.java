package io.zkperp.l1;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The terms every rollup format's constructor takes the same way (admin, operator, forced-action
 * deadline, verifier timelock, forced-request fee): the checks {@link DeployParams} and {@link
 * DeployParamsV3} make on them, and what a deployer reads back after the deployment. Immutable; any
 * thread.
 *
 * @param verifier the rollup's verifier address, as read back
 * @param token the rollup's collateral token, as read back
 * @param operator whether the operator holds OPERATOR_ROLE
 * @param admin whether the admin holds ADMIN_ROLE
 * @param deadline the forced-action deadline, seconds
 * @param timelock the verifier timelock, seconds
 * @param fee the forced-request fee, wei
 */
record RollupTerms(
    String verifier,
    String token,
    boolean operator,
    boolean admin,
    long deadline,
    long timelock,
    BigInteger fee) {

  /**
   * Validates the common constructor terms, so the error names the field.
   *
   * @throws NullPointerException if admin, operator or fee is null
   * @throws IllegalArgumentException if the deadline, the timelock or the fee is out of range
   */
  static void validate(
      String admin,
      String operator,
      long forcedActionDeadlineSeconds,
      long verifierTimelockSeconds,
      BigInteger forcedRequestFeeWei) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(forcedRequestFeeWei, "forcedRequestFeeWei");
    if (forcedActionDeadlineSeconds <= 0 || forcedActionDeadlineSeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "forcedActionDeadlineSeconds must be in [1, 2^32 - 1], got "
              + forcedActionDeadlineSeconds);
    }
    if (verifierTimelockSeconds
        < forcedActionDeadlineSeconds + DeployParams.REACTION_MARGIN_SECONDS) {
      throw new IllegalArgumentException(
          "verifierTimelockSeconds ("
              + verifierTimelockSeconds
              + ") must be at least forcedActionDeadlineSeconds ("
              + forcedActionDeadlineSeconds
              + ") + the reaction margin ("
              + DeployParams.REACTION_MARGIN_SECONDS
              + ")");
    }
    if (forcedRequestFeeWei.signum() < 0) {
      throw new IllegalArgumentException(
          "forcedRequestFeeWei must be >= 0, got " + forcedRequestFeeWei);
    }
  }

  /**
   * Whether what was read back is what was deployed and asked for.
   *
   * @param d the deployment's addresses
   * @param deadlineSeconds the requested forced-action deadline
   * @param timelockSeconds the requested verifier timelock
   * @param feeWei the requested forced-request fee
   * @return true when every term matches (both roles held)
   */
  boolean matches(
      RollupDeployment d, long deadlineSeconds, long timelockSeconds, BigInteger feeWei) {
    return verifier.equalsIgnoreCase(d.verifier())
        && token.equalsIgnoreCase(d.collateral())
        && operator
        && admin
        && deadline == deadlineSeconds
        && timelock == timelockSeconds
        && fee.equals(feeWei);
  }

  /**
   * The terms for an error message.
   *
   * @return {@code verifier …, token …, operator role …, admin role …, deadline …, timelock …,
   *     forced-request fee …}
   */
  String describe() {
    return "verifier "
        + verifier
        + ", token "
        + token
        + ", operator role "
        + operator
        + ", admin role "
        + admin
        + ", deadline "
        + deadline
        + ", timelock "
        + timelock
        + ", forced-request fee "
        + fee;
  }
}
