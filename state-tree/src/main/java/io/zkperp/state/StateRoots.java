package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.protocol.state.StateRoot;
import java.util.Objects;

/**
 * The three parts of the state and the state root they hash to: {@code stateRoot = H(TAG_STATE,
 * accountsRoot, marketsRoot, globalLeaf)}. A verifier holding a trusted state root checks a proof's
 * roots with {@link #isConsistent()} and {@code stateRoot().equals(trusted)}.
 *
 * <p>Immutable; any thread.
 *
 * @param accountsRoot root of the accounts tree
 * @param marketsRoot root of the markets tree
 * @param globalLeaf hash of the global leaf
 * @param stateRoot the state root
 */
public record StateRoots(Fr accountsRoot, Fr marketsRoot, Fr globalLeaf, Fr stateRoot) {
  /** Length of {@link #toBytes()}. */
  public static final int ENCODED_BYTES = 4 * Fr.BYTES;

  /** The genesis state: every tree empty and the global leaf of {@link GlobalState#GENESIS}. */
  public static final StateRoots GENESIS =
      new StateRoots(
          StateLayout.emptySubtree(StateLayout.ACCOUNTS_DEPTH),
          StateLayout.emptySubtree(StateLayout.MARKETS_DEPTH),
          GlobalState.GENESIS.leafHash(),
          StateRoot.GENESIS);

  /** Validates that no part is null. */
  public StateRoots {
    Objects.requireNonNull(accountsRoot, "accountsRoot");
    Objects.requireNonNull(marketsRoot, "marketsRoot");
    Objects.requireNonNull(globalLeaf, "globalLeaf");
    Objects.requireNonNull(stateRoot, "stateRoot");
  }

  /**
   * Combines the parts, computing the state root.
   *
   * @param accountsRoot root of the accounts tree
   * @param marketsRoot root of the markets tree
   * @param globalLeaf hash of the global leaf
   * @return the roots
   */
  public static StateRoots of(Fr accountsRoot, Fr marketsRoot, Fr globalLeaf) {
    return new StateRoots(
        accountsRoot, marketsRoot, globalLeaf, StateRoot.of(accountsRoot, marketsRoot, globalLeaf));
  }

  /**
   * Whether the state root is the hash of the parts.
   *
   * @return true if consistent
   */
  public boolean isConsistent() {
    return StateRoot.of(accountsRoot, marketsRoot, globalLeaf).equals(stateRoot);
  }

  /**
   * accountsRoot ‖ marketsRoot ‖ globalLeaf ‖ stateRoot, canonical 32 bytes each.
   *
   * @return 128 bytes
   */
  public byte[] toBytes() {
    byte[] b = new byte[ENCODED_BYTES];
    accountsRoot.writeBytes(b, 0);
    marketsRoot.writeBytes(b, 32);
    globalLeaf.writeBytes(b, 64);
    stateRoot.writeBytes(b, 96);
    return b;
  }

  /**
   * Parses {@link #toBytes()}.
   *
   * @param b 128 bytes
   * @return the roots
   * @throws io.zkperp.protocol.encoding.InvalidEncodingException on a wrong length or a
   *     non-canonical element
   */
  public static StateRoots fromBytes(byte[] b) {
    if (b.length != ENCODED_BYTES) {
      throw new io.zkperp.protocol.encoding.InvalidEncodingException(
          io.zkperp.protocol.encoding.EncodingError.WRONG_LENGTH,
          "state roots are " + ENCODED_BYTES + " bytes, got " + b.length);
    }
    return new StateRoots(
        Fr.fromBytes(b, 0), Fr.fromBytes(b, 32), Fr.fromBytes(b, 64), Fr.fromBytes(b, 96));
  }
}
