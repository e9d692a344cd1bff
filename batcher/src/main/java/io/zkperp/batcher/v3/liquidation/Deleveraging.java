package io.zkperp.batcher.v3.liquidation;

/**
 * Part of a bankrupt account's position closed against the deleverager's opposite position at the
 * bankruptcy price (record {@code Deleveraged}): the deleveraged position changes by {@code delta}
 * (−c), the deleverager's by −delta. The deleverager may be the insurance fund. Immutable; any
 * thread.
 *
 * @param account the deleveraged account
 * @param deleverager the counterparty
 * @param market the market id
 * @param delta the change of the deleveraged position
 * @param price the price (the bankruptcy price)
 */
public record Deleveraging(long account, long deleverager, int market, long delta, long price)
    implements LiquidationTransaction {}
