package io.zkperp.sequencer.command;

/**
 * Cancels one live order of an account, by order id or by client order id. Immutable; any thread.
 *
 * @param account the owner; an order of another account is "unknown"
 * @param byClientOrderId whether {@code id} is a client order id (else an order id)
 * @param id the order id, or the client order id (an unsigned 32-bit value)
 */
public record CancelOrder(int account, boolean byClientOrderId, long id) implements Command {}
