/**
 * The Java side of L1: a local anvil for tests and the devnet ({@link io.zkperp.l1.AnvilProcess}),
 * a connection with its signing accounts ({@link io.zkperp.l1.L1Session}), deployment of the rollup
 * ({@link io.zkperp.l1.RollupDeployer}), the L1 priority queue ({@link
 * io.zkperp.l1.PriorityQueue}), batch submission ({@link io.zkperp.l1.BatchCommit}), escape proofs
 * from the state tree ({@link io.zkperp.l1.EscapeProofs}) and typed decoding of the rollup's custom
 * errors ({@link io.zkperp.l1.L1RevertException}). The contract wrappers themselves are generated
 * by web3j during the build (module l1-bindings, package {@code io.zkperp.l1.contracts}).
 */
package io.zkperp.l1;
