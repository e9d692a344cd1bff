package io.zkperp.sequencer.command;

/**
 * Moves collateral from one account to another, only within the source's free collateral: how an
 * owner funds an isolated-margin subaccount (an account that holds one isolated market's position)
 * and takes collateral back. An unsigned command like the other collateral commands: the gateway
 * must authenticate that both accounts belong to the requester. Applied by the risk engine; the
 * permissive hook rejects it. Immutable; any thread.
 *
 * @param from the source account (≥ 0)
 * @param to the destination account (≥ 0, ≠ from)
 * @param amount collateral quanta (&gt; 0)
 */
public record TransferCollateral(int from, int to, long amount) implements Command {}
