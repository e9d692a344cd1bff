package io.zkperp.protocol.state.v2;

/**
 * Why a value was refused by layout v2; each constant names one rule of the layout.
 *
 * <p>Immutable; any thread.
 */
public enum StateFieldError {
  /** A position entry whose market is ≥ 64 or whose |size| is ≥ 2^55. */
  POSITION_OUT_OF_RANGE,
  /** Two non-empty position entries of one account hold the same market. */
  DUPLICATE_MARKET,
  /** A position in a new market for an account whose 8 entries are all taken. */
  TOO_MANY_POSITIONS,
  /** A packed position element that no valid position list packs to. */
  NON_CANONICAL_ENTRY,
  /** A fee tier index ≥ 8 or a fee rate outside [−10^6, 10^6] ppm. */
  FEE_TIER_OUT_OF_RANGE,
  /** An oracle quorum above the 16 signer slots. */
  QUORUM_OUT_OF_RANGE,
  /** A list of the wrong length (8 positions, 16 signer slots, 8 fee tiers, 4 packed elements). */
  WRONG_LENGTH
}
