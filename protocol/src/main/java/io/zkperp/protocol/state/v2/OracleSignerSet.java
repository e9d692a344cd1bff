package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The 16 oracle-signer slots, committed as the root of a depth-4 tree of {@link
 * OracleSigner#leaf()} (internal node = Compress(left, right), as every tree of the layout).
 *
 * <p>Immutable; any thread.
 *
 * @param slots exactly 16 signers ({@link OracleSigner#EMPTY} for a free slot)
 */
public record OracleSignerSet(List<OracleSigner> slots) {
  /** Every slot empty. */
  public static final OracleSignerSet EMPTY =
      new OracleSignerSet(Collections.nCopies(LayoutV2.ORACLE_SIGNER_SLOTS, OracleSigner.EMPTY));

  /**
   * Validates the length.
   *
   * @throws InvalidStateFieldException {@link StateFieldError#WRONG_LENGTH}
   */
  public OracleSignerSet {
    slots = List.copyOf(Objects.requireNonNull(slots, "slots"));
    if (slots.size() != LayoutV2.ORACLE_SIGNER_SLOTS) {
      throw new InvalidStateFieldException(
          StateFieldError.WRONG_LENGTH, slots.size() + " signer slots, need 16");
    }
  }

  /**
   * The root of the depth-4 signer tree.
   *
   * @return oracleSignersRoot
   */
  public Fr root() {
    Fr[] level = new Fr[slots.size()];
    for (int i = 0; i < level.length; i++) {
      level[i] = slots.get(i).leaf();
    }
    for (int width = level.length; width > 1; width /= 2) {
      for (int i = 0; i < width / 2; i++) {
        level[i] = Poseidon2.compress(level[2 * i], level[2 * i + 1]);
      }
    }
    return level[0];
  }
}
