package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The 8 fee tiers an account's identity points into.
 *
 * <p>Immutable; any thread.
 *
 * @param tiers exactly 8 tiers (unused ones (0, 0))
 */
public record FeeTiers(List<FeeTier> tiers) {
  /** Every tier (0, 0). */
  public static final FeeTiers ZERO =
      new FeeTiers(Collections.nCopies(LayoutV2.FEE_TIERS, FeeTier.ZERO));

  /**
   * Validates the length.
   *
   * @throws InvalidStateFieldException {@link StateFieldError#WRONG_LENGTH}
   */
  public FeeTiers {
    tiers = List.copyOf(Objects.requireNonNull(tiers, "tiers"));
    if (tiers.size() != LayoutV2.FEE_TIERS) {
      throw new InvalidStateFieldException(
          StateFieldError.WRONG_LENGTH, tiers.size() + " fee tiers, need 8");
    }
  }

  /**
   * {@code H(TAG_FEE_TIERS_V2, maker₀ + 2^20, taker₀ + 2^20, …, maker₇ + 2^20, taker₇ + 2^20)}.
   *
   * @return feeTiersRoot
   */
  public Fr hash() {
    Fr[] xs = new Fr[1 + 2 * tiers.size()];
    xs[0] = LayoutV2.TAG_FEE_TIERS;
    for (int i = 0; i < tiers.size(); i++) {
      xs[1 + 2 * i] = Fr.fromLong(tiers.get(i).makerPpm() + (long) FeeTier.RATE_OFFSET);
      xs[2 + 2 * i] = Fr.fromLong(tiers.get(i).takerPpm() + (long) FeeTier.RATE_OFFSET);
    }
    return Poseidon2.hash(xs);
  }
}
