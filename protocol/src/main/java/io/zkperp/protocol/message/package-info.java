/**
 * Every message zkperp verifies a signature over, defined once: the node, the gateway, the client
 * SDK, the batcher, the load generator and the benchmarks all sign and verify through this package.
 *
 * <h2>Format version 2: domain-separated</h2>
 *
 * <p>{@link io.zkperp.protocol.message.OrderMessage}, {@link
 * io.zkperp.protocol.message.CancelOrderMessage}, {@link
 * io.zkperp.protocol.message.CancelAllMessage}, {@link
 * io.zkperp.protocol.message.OraclePriceMessage}, {@link
 * io.zkperp.protocol.message.ReadGrantMessage} (an account read grant), and {@link
 * io.zkperp.protocol.message.WithdrawalMessage} and {@link
 * io.zkperp.protocol.message.TransferMessage} (the collateral transactions of batch format v3), and
 * {@link io.zkperp.protocol.message.ForcedTradeMessage} (the forced trade B signs for L1) hash to
 * {@code H(D, e1 … ek)}: Poseidon2 Merkle–Damgård over the {@linkplain
 * io.zkperp.protocol.message.MessageDomain domain separator} {@code D = H(typeTag, 2, chainId,
 * rollupAddress)} and the message's fields packed big-endian into as few elements as fit (an order,
 * a withdrawal and a forced trade are two, the others one). The EdDSA signature is over that one
 * element. Because D differs per message type, format version, chain and rollup contract, no
 * signature is valid for another type, another format or another deployment; because each type has
 * a fixed number of elements, the unpadded Merkle–Damgård cannot collide across lengths. A field
 * outside its packed width is refused with {@link
 * io.zkperp.protocol.message.InvalidMessageFieldException} before anything is hashed.
 *
 * <h2>Format version 1: collateral transactions</h2>
 *
 * <p>{@link io.zkperp.protocol.message.TransactionMessages} (withdrawal, transfer, and the deposit
 * and forced-withdrawal priority hashes) are still verified by the circuit and the L1 contract as
 * they are: a type tag, no domain. The domain-separated withdrawal and transfer above replace them
 * when the proving path moves to batch format v3; until then nothing signs them for the v2 path.
 *
 * <p>docs/state-layout.md ("Signed messages") is the specification; {@code
 * test-vectors/signed-messages.json} and {@code test-vectors/collateral-messages.json}, written by
 * gnark-crypto, pin it (the first for Java, Go and Solidity, the second for Java and Go).
 */
package io.zkperp.protocol.message;
