/**
 * The trader's L1 side over web3j and the generated wrappers of module {@code l1-bindings}:
 * deposits (approve + deposit with the L2 public key, then confirmations), forced-withdrawal
 * requests and pull-payment claims on {@code ZkPerpRollup}, with contract reverts decoded by name.
 * No native code.
 */
package io.zkperp.client.l1;
