package io.zkperp.client.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.protocol.state.L1Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * The EIP-712 typed data a trader's wallet signs to derive its L2 key for one rollup:
 *
 * <pre>
 * domain      EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)
 *             name "zkperp", version "1", chainId = the L1 chain, verifyingContract = the rollup
 * primaryType ZkperpKey(string action,uint32 keyIndex)
 * message     action "zkperp L2 key", keyIndex = 0 for the first key (others: independent keys)
 * </pre>
 *
 * <p>{@link #json()} is the JSON that {@code cast wallet sign --data} and {@code
 * eth_signTypedData_v4} take; {@link #hash()} the 32 bytes the wallet signs (keccak256(0x1901 ‖
 * domainSeparator ‖ hashStruct(message))), computed by web3j's {@link StructuredDataEncoder}.
 *
 * <p>Immutable; any thread.
 *
 * @param chainId the L1 chain id (positive)
 * @param rollup the rollup contract's address
 * @param keyIndex which key of this wallet, 0 to 2^32 − 1
 */
public record KeyTypedData(long chainId, L1Address rollup, long keyIndex) {
  /** EIP-712 domain name. */
  public static final String DOMAIN_NAME = "zkperp";

  /** EIP-712 domain version. */
  public static final String DOMAIN_VERSION = "1";

  /** The primary type's name. */
  public static final String PRIMARY_TYPE = "ZkperpKey";

  /** The fixed value of the message's {@code action} field. */
  public static final String ACTION = "zkperp L2 key";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Checks the ranges.
   *
   * @throws IllegalArgumentException if the chain id is not positive or the key index is not a
   *     uint32
   */
  public KeyTypedData {
    if (chainId <= 0) {
      throw new IllegalArgumentException("the chain id must be positive, got " + chainId);
    }
    if (rollup == null) {
      throw new IllegalArgumentException("the rollup address is required");
    }
    if (keyIndex < 0 || keyIndex > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("the key index is a uint32, got " + keyIndex);
    }
  }

  /**
   * The typed data as compact JSON (types, primaryType, domain, message), the address in lower
   * case.
   *
   * @return the JSON text
   */
  public String json() {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode types = root.putObject("types");
    ArrayNode domainType = types.putArray("EIP712Domain");
    field(domainType, "name", "string");
    field(domainType, "version", "string");
    field(domainType, "chainId", "uint256");
    field(domainType, "verifyingContract", "address");
    ArrayNode keyType = types.putArray(PRIMARY_TYPE);
    field(keyType, "action", "string");
    field(keyType, "keyIndex", "uint32");
    root.put("primaryType", PRIMARY_TYPE);
    ObjectNode domain = root.putObject("domain");
    domain.put("name", DOMAIN_NAME);
    domain.put("version", DOMAIN_VERSION);
    domain.put("chainId", chainId);
    domain.put("verifyingContract", rollup.toHex());
    ObjectNode message = root.putObject("message");
    message.put("action", ACTION);
    message.put("keyIndex", keyIndex);
    try {
      return MAPPER.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The EIP-712 hash the wallet signs.
   *
   * @return 32 bytes
   */
  public byte[] hash() {
    try {
      return new StructuredDataEncoder(json()).hashStructuredData();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void field(ArrayNode type, String name, String solidityType) {
    type.addObject().put("name", name).put("type", solidityType);
  }
}
