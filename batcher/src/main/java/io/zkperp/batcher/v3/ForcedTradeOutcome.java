package io.zkperp.batcher.v3;

import java.util.Objects;

/**
 * A decided forced trade: its reason, its record ({@code forcedtrade.PublicData}, 26 bytes) and its
 * priority operation hash. Any thread.
 *
 * @param reason executed, or why it is invalid (then nothing was written)
 * @param record the public-data record
 * @param opHash the priority operation the step consumes
 */
public record ForcedTradeOutcome(
    ForcedTradeReason reason, byte[] record, io.zkperp.protocol.field.Fr opHash) {
  /** Validates that no component is null and copies the record. */
  public ForcedTradeOutcome {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(opHash, "opHash");
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
}
