package io.zkperp.batcher.v3;

import io.zkperp.protocol.state.v2.PositionList;
import java.util.Objects;

/**
 * An account with funding settled on every position (the engine's {@code
 * AccountBook.settleFunding}) and its free collateral before any debit ({@code
 * AccountBook.freeCollateral}). Immutable; any thread.
 *
 * @param free equity − Σ initial requirements at the oracle prices (the collateral without
 *     positions)
 * @param collateral the collateral with every funding credit added
 * @param positions the entries with each snapshot at its market's funding index
 */
record SettledAccount(long free, long collateral, PositionList positions) {
  SettledAccount {
    Objects.requireNonNull(positions, "positions");
  }
}
