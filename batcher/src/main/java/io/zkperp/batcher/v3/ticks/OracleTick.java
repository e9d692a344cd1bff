package io.zkperp.batcher.v3.ticks;

import java.util.List;
import java.util.Objects;

/**
 * An oracle price tick as a batch carries it ({@code tickstep.OracleTick}): the market, the tick's
 * time (the core's journaled time when it applied the command), the batch time T and the signed
 * reports. Values are not checked here: {@link TickExecution} refuses bad ones with their rule.
 * Immutable; any thread.
 *
 * @param market the market id
 * @param now the tick's time, Unix seconds
 * @param batchTime T of the batch that proves the tick
 * @param reports the signed reports, in any order
 */
public record OracleTick(int market, long now, long batchTime, List<SignedPriceReport> reports) {
  /** Copies the report list. */
  public OracleTick {
    reports = List.copyOf(Objects.requireNonNull(reports, "reports"));
  }
}
