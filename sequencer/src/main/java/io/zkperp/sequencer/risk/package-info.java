/**
 * The risk engine ([risk], first slice): accounts with collateral and positions, cross margin with
 * a size-dependent initial margin fraction, the pre-trade check, fill settlement with fees, and the
 * exact integer arithmetic behind them ({@link io.zkperp.protocol.risk.RiskMath}). {@link
 * io.zkperp.sequencer.risk.RiskEngine} plugs into the core as its {@link
 * io.zkperp.sequencer.core.RiskHook}; like the core it is confined to the core thread.
 * Configuration records are immutable and may be shared between threads.
 *
 * <p>The engine is a façade over parts with one job each; every rule the circuit must mirror lives
 * in exactly one of them (all package-private, confined to the core thread):
 *
 * <table>
 *   <caption>Where each rule lives</caption>
 *   <tr><th>part</th><th>owns</th></tr>
 *   <tr><td>{@code AccountBook}</td><td>accounts, insurance fund, fee balance and deposit
 *       totals; equity, margin requirements, funding settlement on touch</td></tr>
 *   <tr><td>{@code RiskMarkets}</td><td>per market: parameters, oracle price, open interest,
 *       funding index</td></tr>
 *   <tr><td>{@code MarginChecks}</td><td>pre-trade check, maker-fill admission, fee cap,
 *       isolation, position and open-interest caps</td></tr>
 *   <tr><td>{@code Settlement}</td><td>fills, fees, liquidation fee, collateral commands,
 *       position transfers outside the book</td></tr>
 *   <tr><td>{@code FundingState}</td><td>operator and derived funding ticks, premium
 *       sampling</td></tr>
 *   <tr><td>{@code OracleInput}</td><td>unsigned and quorum-signed oracle prices</td></tr>
 *   <tr><td>{@code Liquidator}, {@code DeleveragingRanking}</td><td>liquidation steps,
 *       bankruptcy price, insurance takeover, deleveraging order</td></tr>
 *   <tr><td>{@code LiquidationIndex}</td><td>holders per market and the liquidation-price
 *       index</td></tr>
 *   <tr><td>{@code ForcedTradeDecision}</td><td>a forced trade's reason (the circuit's order
 *       and codes) and its execution</td></tr>
 *   <tr><td>{@code ForcedTrades}</td><td>serves a forced trade: the decision, its execution
 *       and its {@code ForcedTradeServed} record</td></tr>
 *   <tr><td>{@code RiskStateCodec}</td><td>the canonical state serialisation</td></tr>
 * </table>
 */
package io.zkperp.sequencer.risk;
