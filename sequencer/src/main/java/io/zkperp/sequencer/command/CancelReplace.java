package io.zkperp.sequencer.command;

import java.util.Objects;

/**
 * Atomically cancels a live order and places a new one: if the new order is rejected, the old one
 * stays untouched. The new order may reuse the old order's client order id. Immutable; any thread.
 *
 * @param account the owner of both orders
 * @param byClientOrderId whether {@code id} is a client order id (else an order id)
 * @param id the order to cancel
 * @param replacement the new order; its account must equal {@code account}
 */
public record CancelReplace(int account, boolean byClientOrderId, long id, PlaceOrder replacement)
    implements Command {

  /**
   * Checks that the replacement is present.
   *
   * @param account the owner
   * @param byClientOrderId whether id is a client order id
   * @param id the order to cancel
   * @param replacement the new order
   */
  public CancelReplace {
    Objects.requireNonNull(replacement, "replacement");
  }
}
