/**
 * Liquidation steps on layout v2 (batch format v3, in progress): {@link
 * io.zkperp.batcher.v3.liquidation.LiquidationExecution} executes a liquidation fill, an insurance
 * takeover or a deleveraging on a {@code StateStoreV2} batch in witness mode exactly as the Go
 * references {@code liqstep.ApplyLiquidation}, {@code ApplyTakeover} and {@code ApplyDeleverage}
 * do, returns the step's openings and public data, and refuses with {@link
 * io.zkperp.batcher.v3.liquidation.LiquidationRefusalReason}, changing nothing. {@code
 * test-vectors/liquidation-steps.json} pins that Java and Go agree root for root.
 */
package io.zkperp.batcher.v3.liquidation;
