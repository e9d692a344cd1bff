/**
 * The exact integer arithmetic of margin, fees and funding ({@link
 * io.zkperp.protocol.risk.RiskMath}): one definition shared by the sequencer's risk engine and the
 * batcher that executes trades on layout v2, checked against the Go reference of the perpetual
 * circuit ({@code test-vectors/perp-trade-arithmetic.json}). Pure static functions; any thread.
 */
package io.zkperp.protocol.risk;
