package io.zkperp.devnet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zkperp.client.identity.OwnerOnlyFile;
import io.zkperp.l1.RollupDeployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a devnet's data directory records in {@code devnet.json}: the format version, the deployment
 * (chain, addresses, shape, settlement format, deployment block), the market maker's L2 key seed
 * and account, and the endpoints of the last run (for {@code ./zk devnet faucet}). Written
 * atomically (temporary file, then rename) and owner-only (it holds the market maker's seed).
 * Immutable; any thread.
 *
 * @param format {@link #FORMAT}
 * @param chainId the L1 chain id
 * @param rollup the rollup contract
 * @param verifier the batch verifier contract
 * @param collateral the collateral ERC-20 (TestUSD)
 * @param shape the circuit shape of the verifier
 * @param settlement the settlement format the contracts take: {@code v3} ({@code ZkPerpRollupV3})
 *     or {@code v2} ({@code ZkPerpRollup}; also what a file without the field, written before v3,
 *     means)
 * @param deployBlock the L1 block before the deployment (the node's watcher starts there)
 * @param marketMakerSeed the market maker's 32-byte EdDSA seed, hex
 * @param marketMakerAccount the market maker's L2 account, 0 before its deposit
 * @param l1RpcUrl the L1 endpoint of the last run
 * @param rpcUrl the JSON-RPC endpoint of the last run
 */
public record DevnetState(
    int format,
    long chainId,
    String rollup,
    String verifier,
    String collateral,
    String shape,
    String settlement,
    long deployBlock,
    String marketMakerSeed,
    long marketMakerAccount,
    String l1RpcUrl,
    String rpcUrl) {

  /** The data directory format this build writes and reads. */
  public static final int FORMAT = 1;

  /** The file name in the data directory. */
  public static final String FILE = "devnet.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** A file written before format v3 has no settlement: v2. */
  public DevnetState {
    settlement = settlement == null ? DevnetOptions.V2 : settlement;
  }

  /**
   * The deployment as the L1 client describes it.
   *
   * @return the addresses, shape and chain
   */
  public RollupDeployment deployment() {
    return new RollupDeployment(rollup, verifier, collateral, shape, chainId);
  }

  /**
   * A copy with another market maker account.
   *
   * @param account the L2 account
   * @return the copy
   */
  public DevnetState withMarketMakerAccount(long account) {
    return new DevnetState(
        format,
        chainId,
        rollup,
        verifier,
        collateral,
        shape,
        settlement,
        deployBlock,
        marketMakerSeed,
        account,
        l1RpcUrl,
        rpcUrl);
  }

  /**
   * A copy with the endpoints of this run.
   *
   * @param l1 the L1 endpoint
   * @param rpc the JSON-RPC endpoint
   * @return the copy
   */
  public DevnetState withEndpoints(String l1, String rpc) {
    return new DevnetState(
        format,
        chainId,
        rollup,
        verifier,
        collateral,
        shape,
        settlement,
        deployBlock,
        marketMakerSeed,
        marketMakerAccount,
        l1,
        rpc);
  }

  /**
   * Reads the state of a data directory.
   *
   * @param dataDir the data directory
   * @return the state, or empty if the directory has none (a first start)
   * @throws DevnetException if the file is unreadable or of another format
   */
  public static Optional<DevnetState> read(Path dataDir) throws DevnetException {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode tree = JSON.readTree(file.toFile());
      int format = tree.path("format").asInt(-1);
      if (format != FORMAT) {
        throw new DevnetException(
            DevnetException.Kind.INCOMPATIBLE_DATA_DIR,
            "the data directory "
                + dataDir
                + " was written by another devnet version (format "
                + format
                + ", this build reads format "
                + FORMAT
                + "); start with an empty directory (--data-dir) or delete it");
      }
      return Optional.of(JSON.treeToValue(tree, DevnetState.class));
    } catch (IOException e) {
      throw new DevnetException(
          DevnetException.Kind.INCOMPATIBLE_DATA_DIR,
          "the data directory's "
              + FILE
              + " is unreadable ("
              + e.getMessage().lines().findFirst().orElse("")
              + "); start with an empty directory (--data-dir) or delete it",
          e);
    }
  }

  /**
   * Writes this state atomically into a data directory.
   *
   * @param dataDir the data directory
   * @throws IOException if writing fails
   */
  public void write(Path dataDir) throws IOException {
    OwnerOnlyFile.write(dataDir.resolve(FILE), JSON.writeValueAsString(this));
  }
}
