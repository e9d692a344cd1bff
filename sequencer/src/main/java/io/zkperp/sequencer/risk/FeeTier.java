package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;

/**
 * Maker and taker fee rates of an account tier, in parts per million of the fill notional; negative
 * = rebate. Immutable; any thread.
 *
 * @param makerFeePpm the resting side's rate, −10^6 to 10^6
 * @param takerFeePpm the incoming side's rate, −10^6 to 10^6
 */
public record FeeTier(long makerFeePpm, long takerFeePpm) {
  /**
   * Validates the rates.
   *
   * @throws IllegalArgumentException if a rate is out of range
   */
  public FeeTier {
    if (Math.abs(makerFeePpm) > RiskMath.PPM || Math.abs(takerFeePpm) > RiskMath.PPM) {
      throw new IllegalArgumentException("fee rates must be within ±10^6 ppm");
    }
  }
}
