package io.zkperp.batcher.v3.liquidation;

/**
 * The insurance fund taking over part of an account's position at the bankruptcy price (record
 * {@code InsuranceTakeover}): the account's position changes by {@code delta} (−c, the record's
 * signed size), the fund's by −delta. Immutable; any thread.
 *
 * @param account the account
 * @param market the market id
 * @param delta the change of the account's position
 * @param price the price (the bankruptcy price)
 */
public record InsuranceTakeover(long account, int market, long delta, long price)
    implements LiquidationTransaction {}
