package io.zkperp.sequencer.command;

/**
 * Credits the insurance fund with collateral from outside the system: an operator (treasury)
 * deposit into the fund, counted like a {@link DepositCollateral} in the deposits, so that Σ
 * collateral + insurance fund + fee balance = deposits − withdrawals still holds. For now a plain
 * core command, like deposits; later it comes from L1 through the batcher. Applied by the risk
 * engine; the permissive hook rejects it. Immutable; any thread.
 *
 * @param amount collateral quanta (&gt; 0)
 */
public record TopUpInsuranceFund(long amount) implements Command {}
