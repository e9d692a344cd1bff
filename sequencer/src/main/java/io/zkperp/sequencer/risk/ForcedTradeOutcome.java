package io.zkperp.sequencer.risk;

import io.zkperp.protocol.message.ForcedTradeReason;

/**
 * The engine's outcome of a forced trade: the reason and, when executed, the exchange it made.
 * Immutable; core thread.
 *
 * @param reason {@link ForcedTradeReason#EXECUTED} or why the request is invalid
 * @param exchange the trade (null unless executed)
 */
record ForcedTradeOutcome(ForcedTradeReason reason, StateRecords.Exchange exchange) {}
