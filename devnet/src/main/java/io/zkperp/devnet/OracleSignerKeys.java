package io.zkperp.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.identity.OwnerOnlyFile;
import io.zkperp.node.NodeConfig;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The devnet's own oracle signers: {@link #COUNT} EdDSA keys generated on the first start of a data
 * directory (random seeds) and kept in {@link #FILE} there, owner-only (0600), with the quorum. The
 * node's engine accepts price reports from exactly these keys ({@link #signers()}, through {@link
 * NodeConfig#withOracleSigners}) and the {@link OracleFeeder} signs with them; the engine's public
 * demo keys ({@code DemoMarkets.oracleKey}) are refused. Immutable; any thread.
 *
 * @param seeds the signers' 32-byte EdDSA key seeds, hex; a report names its signer by index into
 *     this list
 * @param quorum distinct signers needed per price batch
 */
record OracleSignerKeys(List<String> seeds, int quorum) {
  /** The file in the data directory. */
  static final String FILE = "oracle-signers.json";

  /** How many signers a new devnet generates. */
  static final int COUNT = 3;

  /** The quorum of a new devnet: distinct signers per price batch. */
  static final int QUORUM = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks the seeds and the quorum ({@link NodeConfig.OracleSigners} checks the set). */
  OracleSignerKeys {
    seeds = List.copyOf(seeds);
    for (String s : seeds) {
      if (!s.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("an oracle signer seed is 64 lower-case hex digits");
      }
    }
    signersOf(seeds, quorum);
  }

  /**
   * Fresh random signers, {@link #COUNT} of them with quorum {@link #QUORUM}.
   *
   * @param random the randomness
   * @return the keys
   */
  static OracleSignerKeys generate(SecureRandom random) {
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      seeds.add(HexFormat.of().formatHex(seed));
    }
    return new OracleSignerKeys(seeds, QUORUM);
  }

  /**
   * The signers' private keys, in signer-index order (the feeder's side).
   *
   * @return the keys
   */
  List<EdDsaPrivateKey> keys() {
    return keysOf(seeds);
  }

  private static List<EdDsaPrivateKey> keysOf(List<String> seeds) {
    return seeds.stream().map(s -> EdDsaPrivateKey.fromSeed(HexFormat.of().parseHex(s))).toList();
  }

  /**
   * The engine's side: the public keys and the quorum.
   *
   * @return the signer set
   */
  NodeConfig.OracleSigners signers() {
    return signersOf(seeds, quorum);
  }

  private static NodeConfig.OracleSigners signersOf(List<String> seeds, int quorum) {
    return new NodeConfig.OracleSigners(
        keysOf(seeds).stream().map(EdDsaPrivateKey::publicKey).toList(), quorum);
  }

  /**
   * Writes {@link #FILE} into the data directory, owner-only, atomically.
   *
   * @param dataDir the data directory
   * @throws IOException if it cannot be written
   */
  void write(Path dataDir) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", 1);
    o.put("quorum", quorum);
    var array = o.putArray("seeds");
    seeds.forEach(array::add);
    OwnerOnlyFile.write(
        dataDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
  }

  /**
   * Reads {@link #FILE} from a data directory.
   *
   * @param dataDir the data directory
   * @return the keys, or empty if the file does not exist
   * @throws DevnetException if it is unreadable or malformed
   */
  static Optional<OracleSignerKeys> read(Path dataDir) throws DevnetException {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode t = JSON.readTree(file.toFile());
      if (t.path("format").asInt(-1) != 1 || !t.path("seeds").isArray()) {
        throw new IOException("not format 1 with seeds");
      }
      List<String> seeds = new ArrayList<>();
      for (JsonNode s : t.path("seeds")) {
        seeds.add(s.asText());
      }
      return Optional.of(new OracleSignerKeys(seeds, t.path("quorum").asInt(-1)));
    } catch (IOException | RuntimeException e) {
      throw new DevnetException(
          DevnetException.Kind.INCOMPATIBLE_DATA_DIR,
          "the data directory's "
              + FILE
              + " is unreadable ("
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + "); start with an empty directory (--data-dir) or delete it",
          e);
    }
  }
}
