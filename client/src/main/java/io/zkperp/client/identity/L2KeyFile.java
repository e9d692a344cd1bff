package io.zkperp.client.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.state.L1Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * The key file {@code ./zk client onboard} writes: which wallet and rollup the key belongs to, the
 * 32-byte seed of the L2 key (as secret as the key: the file is created readable by its owner only
 * where the file system has POSIX permissions), the public key, and, once known, the L2 account the
 * first deposit bound it to and the account's next transaction (withdrawal/transfer) nonce.
 *
 * <pre>
 * {"format": "zkperp-l2-key/1", "wallet": "0x…", "chainId": 31337, "rollup": "0x…", "keyIndex": 0,
 *  "seed": "0x…", "publicKey": "0x…" (32-byte compressed), "publicKeyX": "0x…", "publicKeyY": "0x…",
 *  "account": 1 (absent before the first deposit), "nextTransactionNonce": 0}
 * </pre>
 *
 * <p>Immutable value; {@link #write} and {@link #read} from one thread per file.
 *
 * @param wallet the wallet that signed the key typed data
 * @param typedData the typed data it signed (chain id, rollup, key index)
 * @param seed the L2 key's 32-byte seed ({@link WalletOnboarding#deriveSeed}); secret
 * @param account the L2 account, if a deposit bound the key to one
 * @param nextTransactionNonce the nonce of the account's next withdrawal or transfer, as far as
 *     this file knows (the node does not serve it over JSON-RPC)
 */
public record L2KeyFile(
    L1Address wallet,
    KeyTypedData typedData,
    byte[] seed,
    OptionalInt account,
    long nextTransactionNonce) {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "zkperp-l2-key/1";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Checks the seed's length and keeps a copy.
   *
   * @throws IllegalArgumentException if the seed is not 32 bytes or the nonce negative
   */
  public L2KeyFile {
    if (seed == null || seed.length != EdDsaPrivateKey.SEED_BYTES) {
      throw new IllegalArgumentException("an L2 key seed is 32 bytes");
    }
    if (nextTransactionNonce < 0) {
      throw new IllegalArgumentException("the transaction nonce is not negative");
    }
    seed = seed.clone();
  }

  /**
   * A new file's content: no account yet, nonce 0.
   *
   * @param wallet the wallet
   * @param typedData what it signed
   * @param seed the L2 key's seed
   * @return the content
   */
  public static L2KeyFile of(L1Address wallet, KeyTypedData typedData, byte[] seed) {
    return new L2KeyFile(wallet, typedData, seed, OptionalInt.empty(), 0);
  }

  /**
   * The seed.
   *
   * @return a copy (secret)
   */
  @Override
  public byte[] seed() {
    return seed.clone();
  }

  /**
   * The L2 key ({@code EdDsaPrivateKey.fromSeed(seed)}).
   *
   * @return the key
   */
  public EdDsaPrivateKey key() {
    return EdDsaPrivateKey.fromSeed(seed);
  }

  /**
   * The same with the account set.
   *
   * @param id the L2 account
   * @return a new value
   */
  public L2KeyFile withAccount(int id) {
    return new L2KeyFile(wallet, typedData, seed, OptionalInt.of(id), nextTransactionNonce);
  }

  /**
   * The same with the next transaction nonce set.
   *
   * @param nonce the next nonce
   * @return a new value
   */
  public L2KeyFile withNextTransactionNonce(long nonce) {
    return new L2KeyFile(wallet, typedData, seed, account, nonce);
  }

  /**
   * The JSON form.
   *
   * @return the object
   */
  public ObjectNode toJson() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("format", FORMAT);
    o.put("wallet", wallet.toHex());
    o.put("chainId", typedData.chainId());
    o.put("rollup", typedData.rollup().toHex());
    o.put("keyIndex", typedData.keyIndex());
    EdDsaPrivateKey key = key();
    o.put("seed", "0x" + HEX.formatHex(seed));
    o.put("publicKey", "0x" + HEX.formatHex(key.publicKey().encode()));
    o.put("publicKeyX", key.publicKey().point().x().toHex());
    o.put("publicKeyY", key.publicKey().point().y().toHex());
    if (account.isPresent()) {
      o.put("account", account.getAsInt());
    }
    o.put("nextTransactionNonce", nextTransactionNonce);
    return o;
  }

  /**
   * Writes the file atomically (temporary file, then rename), owner-only where POSIX permissions
   * exist.
   *
   * @param file the path
   * @throws IOException if it cannot be written
   */
  public void write(Path file) throws IOException {
    OwnerOnlyFile.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()));
  }

  /**
   * Reads and checks a key file: the format, and that the seed derives the public key written in
   * it.
   *
   * @param file the path
   * @return the content
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is not a valid key file
   */
  public static L2KeyFile read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + " does not exist: run onboard first");
    }
    JsonNode o;
    try {
      o = MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not a zkperp key file (not JSON)", e);
    }
    if (o == null || !FORMAT.equals(o.path("format").asText())) {
      throw new IllegalArgumentException(
          file + " is not a zkperp key file (format " + FORMAT + ")");
    }
    try {
      KeyTypedData td =
          new KeyTypedData(
              o.path("chainId").asLong(),
              L1Address.fromHex(o.path("rollup").asText()),
              o.path("keyIndex").asLong());
      byte[] seed = hex(o.path("seed").asText());
      EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
      byte[] pub = hex(o.path("publicKey").asText());
      if (!java.util.Arrays.equals(pub, key.publicKey().encode())) {
        throw new IllegalArgumentException("the seed does not derive the file's public key");
      }
      OptionalInt account =
          o.hasNonNull("account") ? OptionalInt.of(o.get("account").asInt()) : OptionalInt.empty();
      return new L2KeyFile(
          L1Address.fromHex(o.path("wallet").asText()),
          td,
          seed,
          account,
          o.path("nextTransactionNonce").asLong());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": invalid key file: " + e.getMessage(), e);
    }
  }

  private static byte[] hex(String s) {
    return HEX.parseHex(s.startsWith("0x") ? s.substring(2) : s);
  }

  @Override
  public String toString() {
    return "L2KeyFile[wallet=" + wallet.toHex() + ", " + typedData + ", account=" + account + "]";
  }
}
