package io.zkperp.batcher.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.v2.StateRootsV2;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a forced-trade step opens in the state before it (the assignment of Go's {@code
 * forcedtrade.Witness}): both accounts' leaves, A's path in the old state and B's after A's update,
 * A's fill slot for the nonce and its path, every listed market, the entries the trade selects (−1:
 * none free) and each side's {@code Shift}. Immutable; any thread.
 *
 * @param rootsBefore the state's roots before the step
 * @param a account A before
 * @param aFillsRoot A's fills root before
 * @param aPath A's 24 siblings, leaf upward
 * @param b account B before
 * @param bFillsRoot B's fills root
 * @param bPath B's 24 siblings after A's update
 * @param fill A's fill leaf at the nonce's slot before (0, 0 when empty)
 * @param fillPath its 12 siblings in A's fills tree before
 * @param marketsBefore every listed market before the step, by id
 * @param slotA A's entry for the market, −1 when none is free
 * @param slotB B's entry, likewise
 * @param shiftA A's shift (0 unless the settled collateral leaves int64)
 * @param shiftB B's shift
 */
public record ForcedTradeOpenings(
    StateRootsV2 rootsBefore,
    AccountV2 a,
    Fr aFillsRoot,
    List<Fr> aPath,
    AccountV2 b,
    Fr bFillsRoot,
    List<Fr> bPath,
    FillV2 fill,
    List<Fr> fillPath,
    Map<Integer, MarketV2> marketsBefore,
    int slotA,
    int slotB,
    BigInteger shiftA,
    BigInteger shiftB) {
  /** Validates that no component is null and copies the collections. */
  public ForcedTradeOpenings {
    Objects.requireNonNull(rootsBefore, "rootsBefore");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(aFillsRoot, "aFillsRoot");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(bFillsRoot, "bFillsRoot");
    Objects.requireNonNull(fill, "fill");
    Objects.requireNonNull(shiftA, "shiftA");
    Objects.requireNonNull(shiftB, "shiftB");
    aPath = List.copyOf(aPath);
    bPath = List.copyOf(bPath);
    fillPath = List.copyOf(fillPath);
    marketsBefore = Map.copyOf(marketsBefore);
  }
}
