package io.zkperp.gateway.bridge.history;

import io.zkperp.gateway.bridge.ReadModel;

/**
 * One order of an account as it stands now, or as it ended: the order, its status ({@code OPEN},
 * {@code PARKED} for a conditional order not yet triggered, or the close reason: {@code FILLED},
 * {@code CANCELLED}, {@code IMMEDIATE_REMAINDER}, ...), how much of it was filled, and the journal
 * record that last changed it. Immutable; any thread.
 *
 * @param lastJournalSeq the journal sequence of the command that last changed it
 * @param filled the size filled so far (synthetic quanta)
 * @param change the order (remaining 0 once closed) and its status
 */
public record OrderRecord(long lastJournalSeq, long filled, ReadModel.OrderChange change) {}
