/**
 * A trader's L2 key from an Ethereum wallet: the EIP-712 typed data the wallet signs ({@link
 * io.zkperp.client.identity.KeyTypedData}), signing it with a local key and checking a signature
 * made elsewhere ({@link io.zkperp.client.identity.WalletOnboarding}), and the key file the CLI
 * writes ({@link io.zkperp.client.identity.L2KeyFile}). The signature → key step itself is
 * protocol's {@code io.zkperp.protocol.identity.L2KeyDerivation}.
 */
package io.zkperp.client.identity;
