/**
 * Layout v2 trades (batch format v3, in progress): {@link io.zkperp.batcher.v3.TradeExecution}
 * executes a trade transaction — two signed orders (signed-message format 2), the fill, the two fee
 * rates — on a {@code StateStoreV2} batch in witness mode exactly as the Go reference {@code
 * perpstep.ApplyTrade} does, and refuses what the trade step circuit refuses with typed reasons
 * ({@link io.zkperp.batcher.v3.TradeRefusalReason}), changing nothing. The trade's arithmetic is
 * the engine's ({@code io.zkperp.protocol.risk.RiskMath}); {@code
 * test-vectors/perp-trade-steps.json} pins that Java and Go agree root for root. {@link
 * io.zkperp.batcher.v3.CollateralExecution} executes the collateral steps (deposit, withdrawal,
 * transfer, forced withdrawal) as the Go references of {@code collateralstep} do, refusing with
 * {@link io.zkperp.batcher.v3.CollateralRefusalReason}; {@code test-vectors/collateral-steps.json}
 * pins roots, public data and priority operations. The format v3 witness encoding and the sealing
 * of batches are not here yet.
 */
package io.zkperp.batcher.v3;
