package io.zkperp.protocol.message;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.L1Address;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The deployment a signed message is for: the L1 chain id and the rollup contract's address, under
 * signed-message format {@link #FORMAT_VERSION}. A signature made for one domain is invalid in
 * every other.
 *
 * <p>For each {@link MessageType} the domain has a <em>separator</em> {@code D = H(typeTag,
 * FORMAT_VERSION, chainId, rollupAddress)} (Poseidon2 Merkle–Damgård, {@link Poseidon2#hash}; the
 * chain id as an unsigned 64-bit value, the address as the field element of its 20 bytes), and a
 * message of that type whose fields pack into elements {@code e1 … ek} hashes to {@code H(D, e1, …,
 * ek)}. The separators and the Poseidon2 state after absorbing them are computed once, when the
 * domain is created, so hashing or signing a message costs only its own k compressions (two for an
 * order, one for a cancel or a price report); verification passes {@code (D, e1 … ek)} to {@link
 * io.zkperp.protocol.eddsa.SignatureVerifier#verifyHashed}, which the native verifier hashes in
 * gnark-crypto. docs/state-layout.md ("Signed messages") is the specification.
 *
 * <p>Immutable; any thread.
 */
public final class MessageDomain {
  /**
   * The signed-message format version this class implements. Version 1 was the format without a
   * domain (orders, cancels and oracle reports before it; withdrawals and transfers still).
   */
  public static final int FORMAT_VERSION = 2;

  /** The demo deployment's chain id: anvil's default, 31337. */
  public static final long DEMO_CHAIN_ID = 31337;

  /**
   * The demo deployment's rollup address: the first contract anvil's default account deploys
   * ({@code 0x5FbDB2315678afecb367f032d93F642f64180aa3}). A fixed demo value; a real deployment
   * passes its own.
   */
  public static final L1Address DEMO_ROLLUP_ADDRESS =
      L1Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3");

  /** The demo domain: {@link #DEMO_CHAIN_ID} and {@link #DEMO_ROLLUP_ADDRESS}. */
  public static final MessageDomain DEMO = new MessageDomain(DEMO_CHAIN_ID, DEMO_ROLLUP_ADDRESS);

  private final long chainId;
  private final L1Address rollupAddress;
  private final Map<MessageType, Fr> separators = new EnumMap<>(MessageType.class);

  /** Per type, the Montgomery limbs of Compress(0, D): the hash state after absorbing D. */
  private final Map<MessageType, long[]> prefixes = new EnumMap<>(MessageType.class);

  private MessageDomain(long chainId, L1Address rollupAddress) {
    this.chainId = chainId;
    this.rollupAddress = Objects.requireNonNull(rollupAddress, "rollupAddress");
    for (MessageType type : MessageType.values()) {
      Fr d =
          Poseidon2.hash(
              type.tag(),
              Fr.fromUnsignedLong(FORMAT_VERSION),
              Fr.fromUnsignedLong(chainId),
              rollupAddress.toField());
      separators.put(type, d);
      long[] prefix = new long[4];
      Poseidon2.compress(Fr.ZERO, d).toMontgomery(prefix, 0);
      prefixes.put(type, prefix);
    }
  }

  /**
   * The domain of a deployment.
   *
   * @param chainId the L1 chain id, taken as an unsigned 64-bit value
   * @param rollupAddress the rollup contract's address
   * @return the domain (five Poseidon2 compressions per message type, once)
   */
  public static MessageDomain of(long chainId, L1Address rollupAddress) {
    return new MessageDomain(chainId, rollupAddress);
  }

  /**
   * The L1 chain id.
   *
   * @return it, an unsigned 64-bit value
   */
  public long chainId() {
    return chainId;
  }

  /**
   * The rollup contract's address.
   *
   * @return it
   */
  public L1Address rollupAddress() {
    return rollupAddress;
  }

  /**
   * The domain separator of one message type: {@code H(type.tag(), FORMAT_VERSION, chainId,
   * rollupAddress)}.
   *
   * @param type the message type
   * @return the separator
   */
  public Fr separator(MessageType type) {
    return separators.get(type);
  }

  /**
   * The message hash {@code H(separator(type), packed…)}, starting from the cached state after the
   * separator.
   *
   * @param type the message type
   * @param packed the message's packed elements
   * @return the one-element message that is signed
   */
  public Fr hash(MessageType type, Fr... packed) {
    long[] s = new long[12];
    long[] scratch = new long[Poseidon2.SCRATCH_LONGS];
    System.arraycopy(prefixes.get(type), 0, s, 0, 4);
    for (Fr x : packed) {
      x.toMontgomery(s, 8);
      Poseidon2.compressInPlace(s, 0, s, 8, scratch);
    }
    return Fr.fromMontgomery(s, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageDomain d
        && chainId == d.chainId
        && rollupAddress.equals(d.rollupAddress);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(chainId) * 31 + rollupAddress.hashCode();
  }

  @Override
  public String toString() {
    return "MessageDomain[format="
        + FORMAT_VERSION
        + ", chainId="
        + Long.toUnsignedString(chainId)
        + ", rollup="
        + rollupAddress
        + "]";
  }
}
