/**
 * The engine's journaled commands and state-change records as format v3 steps on state layout v2
 * (issue #16 scope 4): {@link io.zkperp.node.v3.CommandTranslator} turns each accepted command and
 * its records into the batcher's trade, collateral and tick transactions in execution order, or a
 * typed {@link io.zkperp.node.v3.V3Translation.Unprovable} naming the record no step proves yet;
 * {@link io.zkperp.node.v3.V3Settler} executes them on a {@code StateStoreV2} one command at a time
 * and stops with a typed refusal or disagreement without writing the command. Not yet wired into
 * {@code RollupNode}'s running settlement. See {@code node/README.md}, "Format v3 translation".
 */
package io.zkperp.node.v3;
