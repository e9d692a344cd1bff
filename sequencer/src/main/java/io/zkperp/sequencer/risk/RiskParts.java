package io.zkperp.sequencer.risk;

/**
 * What the risk engine builds once and its settlement, liquidator and state codec share: the
 * account book, the markets, the liquidation-price index, the liquidation configuration and the
 * record sink. Core thread.
 *
 * @param book the accounts and the venue's balances
 * @param markets the markets' risk state
 * @param index the liquidation-price index
 * @param liquidation the liquidation configuration
 * @param records where state changes are recorded
 */
record RiskParts(
    AccountBook book,
    RiskMarkets markets,
    LiquidationIndex index,
    LiquidationConfig liquidation,
    RecordSink records) {}
