package io.zkperp.gateway.bridge.history;

/**
 * What one funding settlement credited or debited to one position of an account: the engine settles
 * funding in every market an account holds whenever a state-change record names the account ({@code
 * sequencer/README.md}, "Funding settlement rule"), crediting {@code RiskMath.fundingCredit(size,
 * indexBefore, indexAfter)}. Immutable; any thread.
 *
 * @param journalSeq the journal sequence of the command
 * @param index its position among the account's payments in that command
 * @param account the account
 * @param market the market of the position
 * @param size the position's signed size when it was settled (synthetic quanta)
 * @param amount the credit (collateral quanta, negative = paid)
 * @param indexBefore the position's funding-index snapshot before (32.32)
 * @param indexAfter the market's funding index it settled to (32.32)
 * @param time the time the read model had reached (seconds: the latest oracle or core tick)
 */
public record FundingPayment(
    long journalSeq,
    int index,
    int account,
    int market,
    long size,
    long amount,
    long indexBefore,
    long indexAfter,
    long time) {}
