package io.zkperp.sequencer.command;

/**
 * Credits collateral to an account (for now a plain core command; later it comes from the L1
 * deposit queue through the batcher). Applied by the risk engine; the permissive hook rejects it.
 * Immutable; any thread.
 *
 * @param account the account (≥ 0)
 * @param amount collateral quanta (&gt; 0)
 */
public record DepositCollateral(int account, long amount) implements Command {}
