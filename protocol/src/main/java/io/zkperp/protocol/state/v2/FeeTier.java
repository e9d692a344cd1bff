package io.zkperp.protocol.state.v2;

/**
 * One fee tier's maker and taker rates in signed parts per million (a negative rate is a rebate).
 *
 * <p>Immutable; any thread.
 *
 * @param makerPpm maker rate, −10^6 … 10^6
 * @param takerPpm taker rate, −10^6 … 10^6
 */
public record FeeTier(int makerPpm, int takerPpm) {
  /** The largest |rate|. */
  public static final int MAX_ABS_RATE_PPM = 1_000_000;

  /** Added to a rate before hashing: 2^20 > 10^6, so the hashed value is in [48,576, 2,048,576]. */
  public static final int RATE_OFFSET = 1 << 20;

  /** The tier (0, 0). */
  public static final FeeTier ZERO = new FeeTier(0, 0);

  /**
   * Validates the rates.
   *
   * @throws InvalidStateFieldException {@link StateFieldError#FEE_TIER_OUT_OF_RANGE}
   */
  public FeeTier {
    for (int r : new int[] {makerPpm, takerPpm}) {
      if (r > MAX_ABS_RATE_PPM || r < -MAX_ABS_RATE_PPM) {
        throw new InvalidStateFieldException(
            StateFieldError.FEE_TIER_OUT_OF_RANGE, "rate " + r + " ppm is not in [-10^6, 10^6]");
      }
    }
  }
}
