/**
 * The quorum-signed oracle ([risk], oracle slice): price reports signed with the protocol's EdDSA
 * over Poseidon2 (the protocol's {@link io.zkperp.protocol.message.OraclePriceMessage}, through
 * {@link io.zkperp.sequencer.risk.oracle.PriceReportSigning}), per-market signer sets and bounds
 * ({@link io.zkperp.sequencer.risk.oracle.OracleConfig}), and the aggregation rule — a quorum of
 * distinct configured signers, fresh timestamps, the lower median, a bounded move ({@link
 * io.zkperp.sequencer.risk.oracle.OracleAggregator}). Prices are the risk engine's 32.32 fixed
 * point. Used by {@code RiskEngine} for {@code SignedOraclePrices} (signatures checked at intake):
 * {@code sequencer/docs/oracle-and-funding.md}, "Wiring (done)". Records and the aggregator are
 * immutable (any thread); {@link io.zkperp.sequencer.risk.oracle.OraclePrices} is confined to the
 * core thread.
 */
package io.zkperp.sequencer.risk.oracle;
