package io.zkperp.node.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.state.StateStoreOptions;
import io.zkperp.state.v2.StateStoreV2;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The node's layout v2 state tree in its data directory ({@code <dir>/state}), written once at
 * genesis by {@link EngineGenesis} from the engine's risk, oracle and funding configuration, with
 * the genesis values the deployer gives {@code ZkPerpRollupV3} ({@link #genesis()}) kept beside it
 * in {@code <dir>/genesis} (written atomically and synced after the genesis version).
 *
 * <p>On every later open the configuration's genesis is computed again (on a scratch store that is
 * deleted) and must equal the stored one, else {@link GenesisMismatchException}: a node restarted
 * with other markets, margins, oracle signers or fee tiers would settle on a tree whose root L1
 * never accepted.
 *
 * <p>Opened and closed by the controlling thread; the store is then confined to the settlement's
 * thread (its only writer).
 */
public final class V3StateTree implements AutoCloseable {
  private static final String FORMAT = "zkperp-v3-genesis 1";

  private final StateStoreV2 store;
  private final V3Genesis genesis;

  private V3StateTree(StateStoreV2 store, V3Genesis genesis) {
    this.store = store;
    this.genesis = genesis;
  }

  /**
   * Opens the tree in {@code dir}, writing the genesis on the first open.
   *
   * @param dir the v3 directory (created if missing)
   * @param options the store's options (kept versions must cover the versions of the batches that
   *     may be rolled back: one per settled command since the last stored batch)
   * @param risk the engine's risk configuration
   * @param oracle its oracle configuration, or null
   * @param funding its funding configuration, or null
   * @param firstAccountId the first account id L1 assigns
   * @return the open tree
   * @throws GenesisMismatchException the stored genesis is not the configuration's (nothing
   *     written)
   * @throws UnrepresentableConfigException the configuration does not fit layout v2
   * @throws IOException the directory or the genesis file cannot be read or written, or a store
   *     past genesis has no genesis file
   */
  public static V3StateTree open(
      Path dir,
      StateStoreOptions options,
      RiskConfig risk,
      OracleConfig oracle,
      FundingConfig funding,
      long firstAccountId)
      throws GenesisMismatchException, UnrepresentableConfigException, IOException {
    Objects.requireNonNull(options, "options");
    Files.createDirectories(dir);
    V3Genesis configured =
        new V3Genesis(genesisRoot(dir, risk, oracle, funding), firstAccountId, 0);
    Path file = dir.resolve("genesis");
    StateStoreV2 store = StateStoreV2.open(dir.resolve("state"), options);
    try {
      if (Files.exists(file)) {
        V3Genesis stored = read(file);
        if (!stored.equals(configured)) {
          throw new GenesisMismatchException(stored, configured);
        }
        if (store.version() == 0) {
          throw new IOException(
              "the v3 genesis file "
                  + file
                  + " is there but the state store is empty: it was deleted or replaced");
        }
      } else if (store.version() == 0) {
        Fr root = EngineGenesis.write(store, risk, oracle, funding).stateRoot();
        if (!root.equals(configured.stateRoot())) {
          throw new IllegalStateException("genesis root " + root + " ≠ " + configured);
        }
        write(file, configured);
      } else if (store.version() == 1 && store.roots().stateRoot().equals(configured.stateRoot())) {
        write(file, configured); // a crash fell between the genesis version and its file
      } else {
        throw new IOException(
            "the v3 state store "
                + dir
                + " is at version "
                + store.version()
                + " and has no genesis file");
      }
      return new V3StateTree(store, configured);
    } catch (GenesisMismatchException | IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * The layout v2 store (this tree owns it).
   *
   * @return the store
   */
  public StateStoreV2 store() {
    return store;
  }

  /**
   * The genesis values the rollup is deployed with. Any thread.
   *
   * @return root, first account id, collateral
   */
  public V3Genesis genesis() {
    return genesis;
  }

  /** The configuration's genesis root, computed on a scratch store that is deleted after. */
  private static Fr genesisRoot(
      Path dir, RiskConfig risk, OracleConfig oracle, FundingConfig funding)
      throws UnrepresentableConfigException, IOException {
    try (Stream<Path> stale = Files.list(dir)) { // scratch stores a crash left behind
      for (Path p :
          stale.filter(p -> p.getFileName().toString().startsWith("genesis-check")).toList()) {
        deleteTree(p);
      }
    }
    Path scratch = Files.createTempDirectory(dir, "genesis-check");
    try (StateStoreV2 s =
        StateStoreV2.open(
            scratch,
            StateStoreOptions.DEFAULT
                .withBlockCacheBytes(1L << 20)
                .withWriteBufferBytes(1L << 20)
                .withKeptVersions(1))) {
      return EngineGenesis.write(s, risk, oracle, funding).stateRoot();
    } finally {
      deleteTree(scratch);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static V3Genesis read(Path file) throws IOException {
    String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
    if (lines.length != 4 || !lines[0].equals(FORMAT)) {
      throw new IOException("not a v3 genesis file: " + file);
    }
    try {
      return new V3Genesis(
          Fr.fromHex(lines[1]), Long.parseLong(lines[2]), Long.parseLong(lines[3]));
    } catch (IllegalArgumentException e) {
      throw new IOException("damaged v3 genesis file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file, V3Genesis g) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    String text =
        FORMAT + "\n" + g.stateRoot().toHex() + "\n" + g.firstAccountId() + "\n" + g.collateral();
    try (var ch =
        java.nio.channels.FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Closes the store. Controlling thread, after the settlement stopped. */
  @Override
  public void close() {
    store.close();
  }
}
