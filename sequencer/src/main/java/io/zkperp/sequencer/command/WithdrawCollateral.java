package io.zkperp.sequencer.command;

/**
 * Debits collateral from an account, only within its free collateral (for now a plain core command;
 * later a signed withdrawal). Applied by the risk engine; the permissive hook rejects it.
 * Immutable; any thread.
 *
 * @param account the account (≥ 0)
 * @param amount collateral quanta (&gt; 0)
 */
public record WithdrawCollateral(int account, long amount) implements Command {}
