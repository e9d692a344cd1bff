/**
 * The settling node's JSON-RPC methods ({@code perp_withdraw}, {@code perp_transfer}, {@code
 * perp_getBatch}, {@code perp_getSettlement}: {@link io.zkperp.node.rpc.SettlementMethods}; {@code
 * perp_getEscapeProof}: {@link io.zkperp.node.rpc.EscapeProofMethod}), plugged into the gateway
 * through {@code GatewaySetup.settlementMethods}.
 */
package io.zkperp.node.rpc;
