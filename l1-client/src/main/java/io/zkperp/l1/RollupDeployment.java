package io.zkperp.l1;

/**
 * Addresses of a deployed rollup. Immutable; any thread.
 *
 * @param rollup the ZkPerpRollup contract
 * @param verifier the batch verifier it was deployed with
 * @param collateral the collateral token
 * @param shape the circuit shape of the verifier
 * @param chainId the chain
 */
public record RollupDeployment(
    String rollup, String verifier, String collateral, String shape, long chainId) {}
