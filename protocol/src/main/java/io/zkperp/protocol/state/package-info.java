/**
 * State layout version 1: the records of the rollup state, their leaf hashes, the state root and
 * Merkle proof verification — the contract with the circuit and the L1 escape hatch, specified in
 * {@code docs/state-layout.md}.
 *
 * <p>State root = H(TAG_STATE, accountsRoot, marketsRoot, globalLeaf). Accounts (depth 24) each
 * commit to a positions tree (depth 6, one leaf per market) and a fills tree (depth 16, one slot
 * per order nonce mod 2^16); markets (depth 6) carry prices, funding and risk parameters; the
 * global leaf holds the insurance fund and fee balance. Every leaf hash starts with a domain tag.
 *
 * <p>Everything here is pure computation: storage lives in the {@code state-tree} module.
 */
package io.zkperp.protocol.state;
