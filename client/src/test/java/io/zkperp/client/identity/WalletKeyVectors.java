package io.zkperp.client.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.identity.L2KeyDerivation;
import io.zkperp.protocol.state.L1Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;

/**
 * The wallet-key vectors ({@code test-vectors/wallet-keys/eip712-l2-keys.json}): each case's
 * signature is made by Foundry's {@code cast wallet sign --data} and its seed by {@code cast
 * keccak} over the domain string ‖ r ‖ s, so that web3j's EIP-712 hashing and signing and
 * protocol's derivation are checked against another implementation; the public key is
 * EdDsaPrivateKey.fromSeed of that seed (itself pinned to gnark-crypto by {@code eddsa.json}).
 *
 * <p>Regenerate: {@code mvn -o -q -pl client test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.zkperp.client.identity.WalletKeyVectors}, or run {@link #main} from an IDE
 * with the repository root as working directory.
 */
final class WalletKeyVectors {
  static final String FILE = "wallet-keys/eip712-l2-keys.json";
  static final ObjectMapper JSON = new ObjectMapper();

  /** One case's inputs. */
  record Case(String walletKey, long chainId, String rollup, long keyIndex) {
    KeyTypedData typedData() {
      return new KeyTypedData(chainId, L1Address.fromHex(rollup), keyIndex);
    }

    String address() {
      return Credentials.create(walletKey).getAddress();
    }
  }

  /** anvil's development keys 0–2 and a few domains (public keys: for vectors only). */
  static final List<Case> CASES =
      List.of(
          new Case(
              "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
              31_337,
              "0x5fbdb2315678afecb367f032d93f642f64180aa3",
              0),
          new Case(
              "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
              31_337,
              "0x5fbdb2315678afecb367f032d93f642f64180aa3",
              0),
          new Case(
              "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
              31_337,
              "0x5fbdb2315678afecb367f032d93f642f64180aa3",
              1),
          new Case(
              "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
              1,
              "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
              4_294_967_295L),
          new Case(
              "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
              11_155_111,
              "0x5fbdb2315678afecb367f032d93f642f64180aa3",
              0));

  private WalletKeyVectors() {}

  /** The repository root: the nearest directory up from here that holds test-vectors/. */
  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("test-vectors"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "test-vectors/ not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static Path file() {
    return repoRoot().resolve("test-vectors").resolve(FILE);
  }

  static Path castLauncher() {
    return repoRoot().resolve("l1-contracts/tools/cast");
  }

  /** Whether the cast launcher runs here (npm package installed). */
  static boolean castAvailable() {
    try {
      return cast("--version").startsWith("cast");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static String cast(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(castLauncher().toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("cast timed out: " + cmd);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.exitValue() != 0) {
      throw new IOException("cast exited " + p.exitValue() + ": " + out);
    }
    return out;
  }

  /** cast's signature of a case's typed data. */
  static String castSignature(Case c) throws IOException {
    return cast("wallet", "sign", "--data", "--private-key", c.walletKey(), c.typedData().json());
  }

  /** cast's Keccak-256 of domain ‖ r ‖ s of a 65-byte signature (hex). */
  static String castSeed(String signatureHex) throws IOException {
    String sig = signatureHex.substring(2);
    String domainHex =
        HexFormat.of().formatHex(L2KeyDerivation.DOMAIN.getBytes(StandardCharsets.UTF_8));
    return cast("keccak", "0x" + domainHex + sig.substring(0, 128));
  }

  /** Every case, from cast. */
  static ObjectNode generate() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put(
        "generator",
        "client/src/test/java/io/zkperp/client/identity/WalletKeyVectors.java: signature by"
            + " Foundry cast wallet sign --data, seed by cast keccak, publicKey ="
            + " EdDsaPrivateKey.fromSeed(seed)");
    root.put("castVersion", cast("--version").lines().findFirst().orElse(""));
    root.put("seedDomain", L2KeyDerivation.DOMAIN);
    ArrayNode cases = root.putArray("cases");
    for (Case c : CASES) {
      String sig = castSignature(c);
      String seed = castSeed(sig);
      EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(HexFormat.of().parseHex(seed.substring(2)));
      ObjectNode o = cases.addObject();
      o.put("walletPrivateKey", c.walletKey());
      o.put("walletAddress", c.address());
      o.put("chainId", c.chainId());
      o.put("rollup", c.rollup());
      o.put("keyIndex", c.keyIndex());
      o.set("typedData", JSON.readTree(c.typedData().json()));
      o.put("signature", sig);
      o.put("seed", seed);
      o.put("publicKey", "0x" + HexFormat.of().formatHex(key.publicKey().encode()));
      o.put("publicKeyX", key.publicKey().point().x().toHex());
      o.put("publicKeyY", key.publicKey().point().y().toHex());
    }
    return root;
  }

  static JsonNode read() throws IOException {
    return JSON.readTree(file().toFile());
  }

  /**
   * Writes the vector file.
   *
   * @param args none
   * @throws IOException if cast fails
   */
  public static void main(String[] args) throws IOException {
    Path f = file();
    Files.createDirectories(f.getParent());
    Files.writeString(
        f, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(generate()) + "\n");
    System.out.println("wrote " + f);
  }
}
