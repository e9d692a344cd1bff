package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;

/**
 * Liquidation parameters of the risk engine (the same for every market). Part of the engine's
 * serialised state. Immutable; any thread.
 *
 * @param enabled whether the engine liquidates at all (false only to study the margin rules alone:
 *     accounts then stay below maintenance margin)
 * @param stepFractionPpm the largest fraction of a position closed per liquidation step, ppm (dYdX
 *     v4: 10%)
 * @param minStepNotional the smallest notional of a step, collateral quanta (dYdX v4: 1,000 USDC);
 *     a smaller position is closed whole
 * @param spreadPpm where the liquidation order's limit price lies between the oracle price (0) and
 *     the bankruptcy price (10^6), ppm
 * @param feePpm the liquidation fee, ppm of the fill notional, paid to the insurance fund and
 *     capped by the account's remaining equity (dYdX v4: at most 1.5%)
 */
public record LiquidationConfig(
    boolean enabled, long stepFractionPpm, long minStepNotional, long spreadPpm, long feePpm) {
  /** 10% per step, minimum step notional 1,000 quanta, limit halfway, 1% fee. */
  public static final LiquidationConfig DEFAULT =
      new LiquidationConfig(true, 100_000, 1_000, 500_000, 10_000);

  /** No liquidation (margin rules only). */
  public static final LiquidationConfig DISABLED =
      new LiquidationConfig(false, 100_000, 1_000, 500_000, 10_000);

  /**
   * Validates the parameters.
   *
   * @throws IllegalArgumentException if a parameter is out of range
   */
  public LiquidationConfig {
    if (stepFractionPpm <= 0 || stepFractionPpm > RiskMath.PPM) {
      throw new IllegalArgumentException("stepFractionPpm must be 1 to 10^6: " + stepFractionPpm);
    }
    if (minStepNotional < 0) {
      throw new IllegalArgumentException("minStepNotional must be ≥ 0: " + minStepNotional);
    }
    if (spreadPpm < 0 || spreadPpm > RiskMath.PPM) {
      throw new IllegalArgumentException("spreadPpm must be 0 to 10^6: " + spreadPpm);
    }
    if (feePpm < 0 || feePpm > RiskMath.PPM) {
      throw new IllegalArgumentException("feePpm must be 0 to 10^6: " + feePpm);
    }
  }
}
