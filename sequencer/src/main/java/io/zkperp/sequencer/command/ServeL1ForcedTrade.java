package io.zkperp.sequencer.command;

import io.zkperp.sequencer.risk.ForcedTradeRequest;
import java.util.Objects;

/**
 * Serves a forced trade requested on L1 (the forced-trade desk's {@code ForcedTradeRequested},
 * docs/perp-circuit.md §12). Like {@link ServeL1ForcedWithdrawal} it is accepted only as the next
 * L1 priority operation (otherwise {@link
 * io.zkperp.sequencer.RejectReason#PRIORITY_OP_OUT_OF_ORDER}, nothing changes). Once in order it is
 * always accepted, because the queue must be served: the engine decides it (the reasons of {@link
 * io.zkperp.protocol.message.ForcedTradeReason}), trades it with no fee if it executes (and closes
 * A's fill slot of the nonce, so it cannot run twice), and records the outcome ({@link
 * io.zkperp.sequencer.core.SequencerEvent.ForcedTradeServed}); an invalid request changes nothing
 * but the consumed priority operation. B's signature is verified before the command is journaled
 * (by whoever builds it from L1, under B's registered key), so that replaying the journal needs no
 * key: {@code signatureValid} is that result. Immutable; any thread.
 *
 * @param priorityIndex the request's position in the L1 priority queue (≥ 0)
 * @param request the request's fields, as L1 queued them
 * @param signatureValid whether B's signature of the request verifies under B's key
 */
public record ServeL1ForcedTrade(
    long priorityIndex, ForcedTradeRequest request, boolean signatureValid) implements Command {
  /** Checks for nulls. */
  public ServeL1ForcedTrade {
    Objects.requireNonNull(request, "request");
  }
}
