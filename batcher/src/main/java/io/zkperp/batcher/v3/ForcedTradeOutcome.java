package io.zkperp.batcher.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.state.v2.StateRootsV2;
import java.util.Objects;

/**
 * A decided forced trade: the request, its reason, its record ({@code forcedtrade.PublicData}, 26
 * bytes), its priority operation hash, the state's roots after it and what it opened (for the
 * witness). Any thread.
 *
 * @param request the request
 * @param reason executed, or why it is invalid (then nothing was written)
 * @param record the public-data record
 * @param opHash the priority operation the step consumes
 * @param rootsAfter the roots after the step (the roots before for an invalid request)
 * @param openings the leaves and paths the step opens
 */
public record ForcedTradeOutcome(
    ForcedTradeRequest request,
    ForcedTradeReason reason,
    byte[] record,
    Fr opHash,
    StateRootsV2 rootsAfter,
    ForcedTradeOpenings openings)
    implements ExecutedStep {
  /** Validates that no component is null and copies the record. */
  public ForcedTradeOutcome {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(opHash, "opHash");
    Objects.requireNonNull(rootsAfter, "rootsAfter");
    Objects.requireNonNull(openings, "openings");
    record = record.clone();
  }

  /**
   * The record's bytes.
   *
   * @return a copy
   */
  @Override
  public byte[] record() {
    return record.clone();
  }

  /** The record: the step's public data. */
  @Override
  public byte[] publicData() {
    return record.clone();
  }

  /** The roots before the step (those the openings were taken in). */
  @Override
  public StateRootsV2 rootsBefore() {
    return openings.rootsBefore();
  }
}
