package io.zkperp.gateway.bridge.history;

/**
 * One change of an account's collateral, as the engine's state-change records give it: the amount
 * and the collateral after it, so that an account's changes add up to its collateral and each
 * {@code balanceAfter} is the previous one plus {@code amount}. Immutable; any thread.
 *
 * @param journalSeq the journal sequence of the command
 * @param index its position among the account's changes in that command
 * @param account the account
 * @param kind why it changed
 * @param market the market it concerns (a trade, fee, funding payment, liquidation), or −1
 * @param counterparty the other account (a transfer's, a trade's maker or taker, a liquidation's,
 *     takeover's or deleveraging's), or −1
 * @param amount the change (collateral quanta, negative = debit)
 * @param balanceAfter the collateral after it
 * @param time the time the read model had reached (seconds: the latest oracle or core tick)
 */
public record CollateralChange(
    long journalSeq,
    int index,
    int account,
    CollateralKind kind,
    int market,
    int counterparty,
    long amount,
    long balanceAfter,
    long time) {}
