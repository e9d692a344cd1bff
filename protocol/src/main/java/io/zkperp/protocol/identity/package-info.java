/**
 * Trader identity: the L2 EdDSA key derived from an Ethereum wallet's signature.
 *
 * <h2>Scheme</h2>
 *
 * <p>The trader's wallet signs a fixed EIP-712 typed-data message (the typed data, its domain and
 * its hashing are in the client module, {@code io.zkperp.client.identity.KeyTypedData}, and in
 * {@code docs/state-layout.md} §7 "Trader key"). {@link WalletSignature} parses the 65-byte
 * signature r ‖ s ‖ v and normalises s to the lower half of the secp256k1 order; {@link
 * L2KeyDerivation} hashes the domain string {@value L2KeyDerivation#DOMAIN} ‖ r ‖ s with Keccak-256
 * into a 32-byte seed and expands it with {@link io.zkperp.protocol.eddsa.EdDsaPrivateKey#fromSeed}
 * (gnark-crypto's {@code eddsa.GenerateKey}).
 *
 * <h2>Why it is deterministic</h2>
 *
 * <p>Ethereum wallets sign with RFC 6979 nonces, so the same wallet key signing the same typed data
 * always produces the same r and s (up to the sign of s, which the normalisation removes, and the
 * encoding of v, which is not hashed). Anyone who can make the wallet sign this message once holds
 * the L2 key: the signature is as secret as the key it derives.
 */
package io.zkperp.protocol.identity;
