package io.zkperp.devnet;

import io.zkperp.client.ZkPerpClient;
import io.zkperp.gateway.PortInUseException;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.node.DataDirectoryLock;
import io.zkperp.gateway.node.DataDirectoryLockedException;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.l1.DeployParams;
import io.zkperp.l1.DeployParamsV3;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Exception;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.RollupDeployer;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.l1.RollupV3Deployer;
import io.zkperp.l1.WrongDeploymentAddressException;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.RollupNode;
import io.zkperp.node.v3.GenesisMismatchException;
import io.zkperp.node.v3.UnrepresentableConfigException;
import io.zkperp.node.v3.V3Genesis;
import io.zkperp.node.v3.V3Stores;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.NativeLibrary;
import io.zkperp.prover.worker.WorkerOptions;
import io.zkperp.sequencer.command.AddMarket;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * A running devnet: anvil with its state file, the deployed contracts, the settling {@link
 * RollupNode} (in this JVM) with its prover worker process, and in markets mode the {@link
 * OracleFeeder} and the {@link MarketMaker}. {@link #start} brings it up from a data directory
 * (deploying on the first start, resuming on later ones) and reports each step to a progress sink;
 * {@link #close} stops everything in reverse order.
 *
 * <p>The node runs in-process rather than as a {@code RollupNodeMain} child because the devnet
 * needs its sequencer bridge: listing markets and feeding signed oracle reports are engine commands
 * that no JSON-RPC method accepts (the market maker, like any trader, goes through JSON-RPC). One
 * JVM also keeps the devnet light on a small machine and lets one shutdown hook stop it in order.
 *
 * <p>Threads: {@link #start} and {@link #close} from one controlling thread; getters from any.
 */
public final class Devnet implements AutoCloseable {
  /** L1 development account that deploys the contracts (holds the admin role). */
  public static final int DEPLOYER_ACCOUNT = 0;

  /** L1 development account of the operator (submits batches). */
  public static final int OPERATOR_ACCOUNT = 1;

  /** L1 development account that pays for the faucet. */
  public static final int FAUCET_ACCOUNT = 8;

  /** L1 development account of the market maker. */
  public static final int MARKET_MAKER_ACCOUNT = 9;

  /** The market maker's deposit, collateral quanta (1,000,000 tUSD). */
  public static final long MARKET_MAKER_DEPOSIT = 1_000_000_000_000L;

  /** The forced-action deadline of the devnet's rollup, seconds (one hour). */
  public static final long FORCED_ACTION_DEADLINE_SECONDS = 3_600;

  /** The market maker's period at most: it requotes after a fill or a price move. */
  static final long MARKET_MAKER_PERIOD_MILLIS = 1_000;

  /** The line printed in markets mode, and part of the status: what the circuit cannot prove. */
  public static final String NOT_PROVEN_NOTICE =
      "NOTE: trades, oracle prices and funding are not proven by the circuit yet: L1 settlement"
          + " PAUSES at the first of them (settlement_paused on /metrics); L1 deposits are still"
          + " credited and trading continues on L2. --collateral-only runs a devnet where"
          + " deposits, transfers and withdrawals settle on L1 end to end.";

  /**
   * The line printed on a format v3 devnet in markets mode: what reaches L1 and what does not yet.
   *
   * @param o the options (funding on or off)
   * @return the notice
   */
  public static String v3Notice(DevnetOptions o) {
    return "Format v3: L1 deposits, oracle prices and trades are proven and committed to"
        + " ZkPerpRollupV3; a fill's perp_getSettlement goes SEALED, PROVEN, COMMITTED, FINAL."
        + (o.derivedFunding()
            ? " Derived funding is on."
            : " Derived funding is OFF: the "
                + o.shape()
                + " shape has no slot for a funding period start (--funding on|off|auto).")
        + " Not yet on L1: withdrawals and transfers over JSON-RPC (the node's intake verifies"
        + " format 1 signatures, the v3 step format 2); such a request pauses the settlement.";
  }

  private final DevnetOptions options;
  private final DataDirectoryLock lock;
  private final LocalAnvil anvil;
  private final L1Session l1;
  private final DevnetState state;
  private final RollupNode node;
  private final OracleFeeder feeder;
  private final MarketMaker marketMaker;

  private Devnet(
      DevnetOptions options,
      DataDirectoryLock lock,
      LocalAnvil anvil,
      L1Session l1,
      DevnetState state,
      RollupNode node,
      OracleFeeder feeder,
      MarketMaker marketMaker) {
    this.options = options;
    this.lock = lock;
    this.anvil = anvil;
    this.l1 = l1;
    this.state = state;
    this.node = node;
    this.feeder = feeder;
    this.marketMaker = marketMaker;
  }

  /**
   * Brings the devnet up (see the class comment). On any failure everything started so far is
   * stopped again.
   *
   * @param o the options
   * @param progress receives one line per step (e.g. {@code starting anvil on …})
   * @return the running devnet
   * @throws DevnetException for a taken port, a missing tool, a data directory in use, of another
   *     version or whose L1 state was lost
   * @throws IOException if the node cannot open its data
   * @throws InterruptedException if interrupted while starting
   */
  public static Devnet start(DevnetOptions o, Consumer<String> progress)
      throws DevnetException, IOException, InterruptedException {
    Files.createDirectories(o.dataDir());
    DataDirectoryLock lock;
    try {
      lock = DataDirectoryLock.acquire(o.dataDir());
    } catch (DataDirectoryLockedException e) {
      throw new DevnetException(
          DevnetException.Kind.DATA_DIR_IN_USE,
          "the data directory "
              + o.dataDir()
              + " is in use by another running devnet; stop it or choose another directory"
              + " (--data-dir)",
          e);
    }
    List<AutoCloseable> opened = new ArrayList<>();
    opened.add(lock);
    try {
      Optional<DevnetState> saved = DevnetState.read(o.dataDir());
      if (saved.isEmpty() && Files.exists(o.dataDir().resolve("node"))) {
        throw new DevnetException(
            DevnetException.Kind.INCOMPATIBLE_DATA_DIR,
            "the data directory "
                + o.dataDir()
                + " holds node data but no "
                + DevnetState.FILE
                + " (not written by this devnet); start with an empty directory (--data-dir)");
      }
      if (saved.isPresent() && !saved.get().settlement().equals(o.settlement())) {
        throw new DevnetException(
            DevnetException.Kind.INCOMPATIBLE_DATA_DIR,
            "the data directory's devnet settles format "
                + saved.get().settlement()
                + " (its "
                + DevnetState.FILE
                + "), not "
                + o.settlement()
                + "; use --settlement "
                + saved.get().settlement()
                + " or an empty directory (--data-dir)");
      }
      if (saved.isPresent() && !saved.get().shape().equals(o.shape())) {
        throw new DevnetException(
            DevnetException.Kind.INCOMPATIBLE_DATA_DIR,
            "the data directory's contracts verify the "
                + saved.get().shape()
                + " circuit shape, not "
                + o.shape()
                + "; use --shape "
                + saved.get().shape()
                + " or an empty directory");
      }
      OracleSignerKeys signers = null;
      if (saved.isPresent()) {
        signers =
            OracleSignerKeys.read(o.dataDir())
                .orElseThrow(
                    () ->
                        new DevnetException(
                            DevnetException.Kind.INCOMPATIBLE_DATA_DIR,
                            "the data directory "
                                + o.dataDir()
                                + " has no "
                                + OracleSignerKeys.FILE
                                + " (an older devnet, whose prices the public demo keys signed);"
                                + " start with an empty directory (--data-dir)"));
      }
      progress.accept("checking the toolchain (npm anvil, native prover library)");
      LocalAnvil.requireLauncher(o.anvilLauncher());
      requireProverLibrary();
      int rpcPort = LocalAnvil.requireFreePort(o.port(), "--port");
      int l1Port = LocalAnvil.requireFreePort(o.l1Port(), "--l1-port");
      Path stateFile = o.dataDir().resolve("anvil-state.json");
      progress.accept(
          "starting anvil on 127.0.0.1:"
              + l1Port
              + " (block time "
              + o.blockTimeSeconds()
              + " s, state "
              + (Files.exists(stateFile) ? "loaded from " : "saved to ")
              + stateFile
              + ")");
      LocalAnvil anvil =
          LocalAnvil.start(o.anvilLauncher(), l1Port, stateFile, o.blockTimeSeconds(), 60);
      opened.add(anvil);
      L1Session l1 = L1Session.connect(anvil.rpcUrl());
      opened.add(l1);
      DevnetState state;
      if (saved.isEmpty()) {
        // generated with the deployment, kept as long as devnet.json: a journal replays only with
        // the signer set its price reports were checked against (and a v3 genesis holds it)
        signers = OracleSignerKeys.generate(new SecureRandom());
        state = o.v3() ? deployV3(l1, o, signers, progress) : deploy(l1, o, progress);
        signers.write(o.dataDir());
        progress.accept(
            "generated this devnet's "
                + signers.seeds().size()
                + " oracle signer keys (quorum "
                + signers.quorum()
                + ") in "
                + o.dataDir().resolve(OracleSignerKeys.FILE)
                + " (owner-only)");
      } else {
        state = saved.get();
        requireDeployment(l1, state);
        progress.accept(
            "reusing the deployment of " + DevnetState.FILE + ": rollup " + state.rollup());
      }
      state = state.withEndpoints(anvil.rpcUrl(), "http://127.0.0.1:" + rpcPort + "/");
      state.write(o.dataDir());
      EdDsaPrivateKey mmKey =
          EdDsaPrivateKey.fromSeed(HexFormat.of().parseHex(state.marketMakerSeed()));
      boolean markets = !o.collateralOnly();
      if (markets && o.marketMaker() && state.marketMakerAccount() == 0) {
        progress.accept("funding the market maker: faucet and L1 deposit of 1,000,000 tUSD");
        Credentials mm = DevAccounts.account(MARKET_MAKER_ACCOUNT);
        L1Collateral.faucet(
            l1,
            state.deployment(),
            DevAccounts.account(FAUCET_ACCOUNT),
            mm.getAddress(),
            BigInteger.valueOf(MARKET_MAKER_DEPOSIT));
        long account =
            L1Collateral.depositToNewAccount(
                l1, state.deployment(), mm, mmKey, MARKET_MAKER_DEPOSIT);
        state = state.withMarketMakerAccount(account);
        state.write(o.dataDir());
      }
      progress.accept(
          "starting the settling node on 127.0.0.1:"
              + rpcPort
              + " with "
              + o.proverWorkers()
              + " prover worker(s) ("
              + o.shape()
              + " shape, format "
              + o.settlement()
              + (o.v3() ? ", derived funding " + (o.derivedFunding() ? "on" : "off") : "")
              + "; keys in "
              + o.keyDir()
              + ", generated on first use: minutes)");
      RollupNode node;
      try {
        node =
            RollupNode.open(
                nodeConfig(
                        o,
                        o.dataDir(),
                        rpcPort,
                        anvil.rpcUrl(),
                        state.rollup(),
                        state.deployBlock())
                    .withOracleSigners(signers.signers()));
      } catch (PortInUseException e) {
        throw new DevnetException(
            DevnetException.Kind.PORT_IN_USE,
            "port "
                + rpcPort
                + " on 127.0.0.1 is already in use; stop what listens there or pick another"
                + " port with --port N",
            e);
      }
      opened.add(node);
      OracleFeeder feeder = null;
      MarketMaker maker = null;
      if (markets) {
        listMarkets(node, o.markets(), progress);
        MessageDomain domain = MessageDomain.of(state.chainId(), L1Address.fromHex(state.rollup()));
        feeder =
            new OracleFeeder(
                node.gateway().bridge(),
                node.gateway().readModel(),
                domain,
                signers,
                o.markets(),
                o.seed(),
                () -> System.currentTimeMillis() / 1_000);
        opened.add(feeder);
        feeder.step();
        feeder.start(o.feedInterval().toMillis());
        progress.accept(
            "oracle feeder: a tick and one price batch per market every "
                + o.feedInterval().toMillis()
                + " ms"
                + (o.v3()
                    ? " (each price is a proven step: at least a batch proof apart, so the prover"
                        + " keeps up)"
                    : ""));
        progress.accept(
            "oracle feeder: this devnet's "
                + signers.seeds().size()
                + " signers (quorum "
                + signers.quorum()
                + "), seeded random walk (seed "
                + o.seed()
                + ") on markets "
                + o.markets());
        if (o.marketMaker()) {
          int account = (int) state.marketMakerAccount();
          progress.accept(
              "waiting for the market maker's deposit to be credited on L2 (account "
                  + account
                  + ", "
                  + o.confirmations()
                  + " confirmations)");
          awaitCredit(node.gateway().readModel(), account, Duration.ofSeconds(120));
          maker =
              new MarketMaker(
                  new ZkPerpClient(
                      URI.create("http://127.0.0.1:" + node.gateway().port() + "/"),
                      () -> System.currentTimeMillis() / 1_000,
                      domain),
                  mmKey,
                  account,
                  feeder::price);
          opened.add(maker);
          maker.step();
          maker.start(Math.min(o.feedInterval().toMillis(), MARKET_MAKER_PERIOD_MILLIS));
          progress.accept("market maker quoting both sides of every market as account " + account);
        }
      }
      return new Devnet(o, lock, anvil, l1, state, node, feeder, maker);
    } catch (DevnetException | IOException | InterruptedException | RuntimeException e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof L1Exception l1e) {
        throw new DevnetException(
            DevnetException.Kind.L1_FAILURE, "an L1 step failed: " + l1e.getMessage(), l1e);
      }
      throw e;
    }
  }

  private static void requireProverLibrary() throws DevnetException {
    try {
      NativeLibrary.load();
    } catch (RuntimeException | LinkageError e) {
      throw new DevnetException(
          DevnetException.Kind.MISSING_TOOLCHAIN,
          "the native prover library is not available ("
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + "): install Go >= 1.25 and rebuild (./zk build), which compiles it into the"
              + " prover-bridge jar",
          e);
    }
  }

  private static DevnetState deploy(L1Session l1, DevnetOptions o, Consumer<String> progress)
      throws IOException {
    progress.accept(
        "deploying the contracts: TestUSD (collateral), the "
            + o.shape()
            + " batch verifier, ZkPerpRollup");
    long block = l1.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    Credentials deployer = DevAccounts.account(DEPLOYER_ACCOUNT);
    Credentials operator = DevAccounts.account(OPERATOR_ACCOUNT);
    RollupDeployment d =
        RollupDeployer.deploy(
            l1,
            deployer,
            DeployParams.devnet(
                o.shape(),
                deployer.getAddress(),
                operator.getAddress(),
                FORCED_ACTION_DEADLINE_SECONDS));
    return newState(d, block);
  }

  /** The state of a new deployment, with a new random market maker seed. */
  private static DevnetState newState(RollupDeployment d, long block) {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return new DevnetState(
        DevnetState.FORMAT,
        d.chainId(),
        d.rollup(),
        d.verifier(),
        d.collateral(),
        d.shape(),
        d.shape().startsWith("v3-") ? DevnetOptions.V3 : DevnetOptions.V2,
        block,
        HexFormat.of().formatHex(seed),
        0,
        null,
        null);
  }

  /**
   * Format v3: the node's genesis (from this devnet's configuration and oracle signers, computed on
   * a scratch copy of the node's store), then {@link RollupV3Deployer} at the address of the
   * v3-tiny keys: a fresh chain where dev account 0 has sent nothing, else a clear refusal before
   * anything is sent.
   */
  private static DevnetState deployV3(
      L1Session l1, DevnetOptions o, OracleSignerKeys signers, Consumer<String> progress)
      throws IOException, DevnetException {
    progress.accept(
        "deploying the contracts: TestUSD (collateral), the "
            + o.shape()
            + " batch verifier, ZkPerpRollupV3 with the node's genesis, at the address of the "
            + o.shape()
            + " keys ("
            + DeployParamsV3.V3_TINY_KEYS.rollup()
            + " on chain "
            + DeployParamsV3.V3_TINY_KEYS.chainId()
            + ")");
    long block = l1.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    V3Genesis genesis = v3Genesis(o, signers, l1.chainId());
    Credentials deployer = DevAccounts.account(DEPLOYER_ACCOUNT);
    Credentials operator = DevAccounts.account(OPERATOR_ACCOUNT);
    RollupDeployment d;
    try {
      d =
          RollupV3Deployer.deploy(
              l1,
              deployer,
              DeployParamsV3.devnet(
                  deployer.getAddress(),
                  operator.getAddress(),
                  FORCED_ACTION_DEADLINE_SECONDS,
                  genesis.stateRoot().toBigInteger(),
                  genesis.firstAccountId()));
    } catch (WrongDeploymentAddressException e) {
      throw new DevnetException(
          DevnetException.Kind.L1_STATE_MISMATCH,
          "cannot deploy the format v3 rollup where its keys are: "
              + e.getMessage()
              + " (an anvil-state.json left without "
              + DevnetState.FILE
              + "? start with an empty --data-dir)",
          e);
    }
    return newState(d, block);
  }

  /** The genesis the node will write, computed on a scratch store that is deleted again. */
  private static V3Genesis v3Genesis(DevnetOptions o, OracleSignerKeys signers, long chainId)
      throws IOException {
    Path scratch = Files.createTempDirectory(o.dataDir(), "genesis-");
    try {
      NodeConfig cfg =
          nodeConfig(o, scratch, 0, "http://127.0.0.1:1", DeployParamsV3.V3_TINY_KEYS.rollup(), 0)
              .withOracleSigners(signers.signers());
      MessageDomain domain =
          MessageDomain.of(chainId, L1Address.fromHex(DeployParamsV3.V3_TINY_KEYS.rollup()));
      try (V3Stores stores =
          V3Stores.open(cfg, cfg.riskEngine(), domain, RollupNode.KEPT_VERSIONS)) {
        return stores.tree().genesis();
      } catch (GenesisMismatchException | UnrepresentableConfigException e) {
        throw new IOException("the node's format v3 genesis: " + e.getMessage(), e);
      }
    } finally {
      try (java.util.stream.Stream<Path> all = Files.walk(scratch)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void requireDeployment(L1Session l1, DevnetState state)
      throws DevnetException, IOException {
    String code =
        l1.web3j().ethGetCode(state.rollup(), DefaultBlockParameterName.LATEST).send().getCode();
    if (l1.chainId() != state.chainId() || code == null || code.equals("0x") || code.isEmpty()) {
      throw new DevnetException(
          DevnetException.Kind.L1_STATE_MISMATCH,
          "anvil's state holds no rollup at "
              + state.rollup()
              + " (the state file anvil-state.json was lost, replaced or not saved when the devnet"
              + " was killed); start with an empty data directory (--data-dir)");
    }
  }

  private static NodeConfig nodeConfig(
      DevnetOptions o, Path dataDir, int rpcPort, String l1Url, String rollup, long deployBlock) {
    WorkerOptions worker =
        WorkerOptions.defaults(dataDir.resolve("prover-jobs"), o.shape())
            .withKeyDir(o.keyDir())
            .withWorkersSharingMachine(o.proverWorkers());
    NodeConfig cfg =
        new NodeConfig(
            dataDir.resolve("node"),
            io.zkperp.gateway.GatewayConfig.defaults(rpcPort),
            BatchProver.batchSize(o.shape()),
            o.batchDelay(),
            worker,
            new NodeConfig.L1(
                l1Url,
                rollup,
                DevAccounts.account(OPERATOR_ACCOUNT),
                o.confirmations(),
                o.finality(),
                1_000,
                deployBlock,
                Duration.ofMillis(500)));
    // format v3: the translator replays from the journal's first record (no snapshots yet); the
    // rollup's first account id is 1 (RollupNodeMain --settlement v3 does the same)
    return o.v3()
        ? cfg.withSnapshots(NodeConfig.Snapshots.NONE)
            .withV3(new NodeConfig.V3(o.shape(), 1, o.derivedFunding()))
        : cfg;
  }

  private static void listMarkets(RollupNode node, List<Integer> markets, Consumer<String> progress)
      throws IOException, InterruptedException {
    ReadModel rm = node.gateway().readModel();
    for (int m : markets) {
      if (rm.hasMarket(m)) {
        continue;
      }
      AddMarket add =
          DemoMarkets.MARKETS.stream()
              .filter(a -> a.market() == m)
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no market " + m));
      CommandOutcome out;
      try {
        out = node.gateway().bridge().submit(add).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("listing market " + m + " failed", e);
      }
      if (out instanceof CommandOutcome.Rejected r) {
        throw new IOException("listing market " + m + " was refused: " + r.message());
      }
      progress.accept(
          "listed market "
              + m
              + " (tick "
              + add.tickSize()
              + ", step "
              + add.stepSize()
              + ", min size "
              + add.minSize()
              + ", centre price "
              + DemoMarkets.centrePrice(m)
              + ")");
    }
  }

  private static void awaitCredit(ReadModel rm, int account, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (rm.account(account) == null || rm.account(account).collateral() <= 0) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "the market maker's deposit (account " + account + ") was not credited in " + timeout);
      }
      Thread.sleep(200);
    }
  }

  /**
   * What the devnet is doing now: the settlement's last sealed batch, the newest batch and its
   * state, the pause (journal record and reason, or 0), the feeder's and market maker's counts. Any
   * thread.
   *
   * @return the status
   * @throws IOException if the batch store cannot be read
   */
  public DevnetStatus status() throws IOException {
    Optional<BatchRecord> last = node.batches().last();
    return new DevnetStatus(
        node.settlementStage().lastSealed(),
        last.map(BatchRecord::number).orElse(0L),
        last.map(r -> r.status().name()).orElse("NONE"),
        node.settlementStage().pausedAt(),
        node.settlementStage().pausedAt() == 0 ? "" : node.settlementStage().pauseReason(),
        !options.collateralOnly(),
        feeder == null ? 0 : feeder.acceptedBatches(),
        marketMaker == null ? 0 : marketMaker.requotes());
  }

  /**
   * The running node (gateway, batches, settlement). Any thread.
   *
   * @return the node
   */
  public RollupNode node() {
    return node;
  }

  /**
   * The data directory's record: chain, contracts, deployment block, market maker account,
   * endpoints. Any thread.
   *
   * @return the state
   */
  public DevnetState state() {
    return state;
  }

  /**
   * The L1 JSON-RPC endpoint. Any thread.
   *
   * @return e.g. {@code http://127.0.0.1:8546}
   */
  public String l1RpcUrl() {
    return anvil.rpcUrl();
  }

  /**
   * The JSON-RPC endpoint (HTTP POST; WebSocket at {@code /ws}, metrics at {@code /metrics}). Any
   * thread.
   *
   * @return e.g. {@code http://127.0.0.1:8545/}
   */
  public String rpcUrl() {
    return "http://127.0.0.1:" + node.gateway().port() + "/";
  }

  /**
   * The signed-message domain orders, cancels and price reports are signed for. Any thread.
   *
   * @return the domain
   */
  public MessageDomain domain() {
    return MessageDomain.of(state.chainId(), L1Address.fromHex(state.rollup()));
  }

  /**
   * The market maker's L2 account, 0 if none.
   *
   * @return the account
   */
  public long marketMakerAccount() {
    return marketMaker == null ? 0 : state.marketMakerAccount();
  }

  /**
   * Stops the market maker, the feeder, the node (and its prover worker), the L1 session and anvil
   * (which saves its state), then releases the data directory. Controlling thread.
   *
   * @throws IOException if closing the node or the lock fails
   */
  @Override
  public void close() throws IOException {
    if (marketMaker != null) {
      marketMaker.close();
    }
    if (feeder != null) {
      feeder.close();
    }
    try {
      node.close();
    } finally {
      l1.close();
      anvil.close();
      lock.close();
    }
  }
}
