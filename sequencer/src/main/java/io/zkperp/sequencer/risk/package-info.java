/**
 * The risk engine ([risk], first slice): accounts with collateral and positions, cross margin with
 * a size-dependent initial margin fraction, the pre-trade check, fill settlement with fees, and the
 * exact integer arithmetic behind them ({@link io.zkperp.sequencer.risk.RiskMath}). {@link
 * io.zkperp.sequencer.risk.RiskEngine} plugs into the core as its {@link
 * io.zkperp.sequencer.core.RiskHook}; like the core it is confined to the core thread.
 * Configuration records are immutable and may be shared between threads.
 */
package io.zkperp.sequencer.risk;
