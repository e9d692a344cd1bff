/**
 * {@code ./zk devnet}: one command that brings up a local L1 (anvil from npm, with a state file in
 * the data directory), deploys the contracts once, runs the settling node with its prover worker, a
 * quorum-signed oracle feeder, a market maker quoting through the client SDK, and offers a faucet
 * for the test ERC-20. See devnet/README.md.
 */
package io.zkperp.devnet;
