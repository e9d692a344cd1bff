package io.zkperp.gateway.node;

import io.zkperp.gateway.Gateway;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.GatewaySetup;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.TopUpInsuranceFund;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.journal.SnapshotReplica;
import io.zkperp.sequencer.journal.SnapshotStore;
import io.zkperp.sequencer.journal.Snapshotter;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import io.zkperp.sequencer.risk.RiskEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo node: sequencer with the real {@link RiskEngine} + gateway + built-in signed price feed,
 * on a data directory whose durable state is the sequencer's journal (segment files under {@code
 * journal/}, rotated at {@link DurabilityOptions#journalSegmentBytes}) and snapshots of the core
 * with the read model (under {@code snapshots/}, taken as {@link NodeOptions#durability} says and
 * on graceful shutdown).
 *
 * <p>The node owns its data directory ({@link DataDirectoryLock}, taken before anything in it is
 * read or written). On start it recovers the core with a fresh risk engine ({@link
 * DemoMarkets#riskEngine()}) through the sequencer's {@link Recovery}: the newest intact snapshot
 * restores the core and the read model (its read side), and the replay of the journal records after
 * it feeds the read model with each record's events, so the core, the read model and the journal
 * agree after a restart. On an empty journal it lists the {@link DemoMarkets#MARKETS}, deposits
 * {@link DemoMarkets#DEMO_COLLATERAL} into each demo account 0 to {@link #DEMO_ACCOUNTS}−1 and tops
 * up the insurance fund, all as operator commands through the bridge (journaled like any other).
 * Then the {@link PriceFeed} takes one step before {@link #open} returns (so orders can be placed
 * at once: every market has a signed price) and, if its interval is positive, runs on its own
 * thread.
 *
 * <p>Demo accounts have public keys derived from the well-known seeds of {@link #demoKey}, and the
 * oracle signers are {@link DemoMarkets#oracleKey}: for trying the API only — anyone can sign for
 * them. {@link #open} and {@link #close} from one controlling thread; the getters from any thread.
 */
public final class GatewayNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);

  /** The number of demo accounts with registered keys. */
  public static final int DEMO_ACCOUNTS = 10;

  /** The default price feed period, milliseconds. */
  public static final long DEFAULT_FEED_INTERVAL_MILLIS = 1_000;

  /** The markets listed on an empty journal: market, tick size, step size, minimum size. */
  public static final List<AddMarket> DEMO_MARKETS = DemoMarkets.MARKETS;

  private final Gateway gateway;
  private final JournalWriter journal;
  private final Snapshotter snapshotter;
  private final HistoryStore history;
  private final PriceFeed feed;
  private final DataDirectoryLock lock;

  private GatewayNode(
      Gateway gateway,
      JournalWriter journal,
      Snapshotter snapshotter,
      HistoryStore history,
      PriceFeed feed,
      DataDirectoryLock lock) {
    this.gateway = gateway;
    this.journal = journal;
    this.snapshotter = snapshotter;
    this.history = history;
    this.feed = feed;
    this.lock = lock;
  }

  /**
   * The demo key of an account: seed = 32 bytes of (account + 1), as the sequencer's tests.
   *
   * @param account the account, 0 to {@link #DEMO_ACCOUNTS}−1
   * @return its private key (public knowledge)
   */
  public static EdDsaPrivateKey demoKey(int account) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (account + 1));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  /**
   * Shorthand for {@code open(NodeOptions.builder(dataDir).config(config).clockSeconds(clock)
   * .build())}: the default feed period, demo accounts and verifier (embedding and tests).
   *
   * @param dataDir the data directory
   * @param config the gateway settings
   * @param clockSeconds unix time in seconds
   * @return the running node
   * @throws IOException as {@link #open(NodeOptions)}
   * @throws InterruptedException if interrupted while starting
   */
  public static GatewayNode open(Path dataDir, GatewayConfig config, LongSupplier clockSeconds)
      throws IOException, InterruptedException {
    return open(NodeOptions.builder(dataDir).config(config).clockSeconds(clockSeconds).build());
  }

  /**
   * Locks the data directory (created if absent), recovers the core through the sequencer's {@link
   * Recovery} while feeding the read model with the replayed events, sets up the demo on an empty
   * journal, takes one price feed step and starts serving. The lock is taken before anything in the
   * directory is read or written, so a second node on a directory in use fails here and changes
   * nothing.
   *
   * @param options the node's options
   * @return the running node
   * @throws DataDirectoryLockedException if another node owns the data directory
   * @throws io.zkperp.gateway.PortInUseException if the port is taken (nothing was written)
   * @throws IOException if the journal cannot be read or written, or the demo setup fails
   * @throws InterruptedException if interrupted while starting
   */
  public static GatewayNode open(NodeOptions options) throws IOException, InterruptedException {
    Path dataDir = options.dataDir();
    DurabilityOptions durability = options.durability();
    DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
    JournalWriter journal = null;
    Snapshotter snapshotter = null;
    HistoryStore history = null;
    try {
      EventCollector events = new EventCollector();
      RiskEngine risk = DemoMarkets.riskEngine();
      history = HistoryStore.open(dataDir.resolve(HistoryStore.DIR));
      long historySeq = history.appliedSeq();
      // margin figures need the configuration
      ReadModel readModel = new ReadModel(risk.config(), history);
      Recovery.Recovered recovered;
      long started = System.nanoTime();
      try {
        // one pass: the core is restored from the newest intact snapshot, the read model from the
        // same snapshot's read side, and both fed with each later record
        recovered =
            Recovery.recover(
                dataDir,
                OrderBookFactory.OPTIMISED,
                SelfTradePrevention.EXPIRE_MAKER,
                risk,
                events,
                new ReadModelReplay(readModel, historySeq),
                Recovery.ANY_SNAPSHOT);
      } catch (IllegalStateException e) { // a journaled command the demo's engine rejects
        throw new IOException(
            e.getMessage()
                + ". Was the journal in "
                + dataDir
                + " written by another version of the demo node? Start with an empty data"
                + " directory.",
            e);
      }
      for (SnapshotStore.Skipped s : recovered.skippedSnapshots()) {
        LOG.warn("snapshot {} skipped ({}); an older one was used", s.file(), s.reason());
      }
      readModel.replaying(false); // publishes the views once
      readModel.endOfBatch(); // the history entries of the replayed tail
      journal = JournalWriter.openSegments(dataDir, durability.journalSegmentBytes());
      if (history.appliedSeq() > recovered.lastSeq()) {
        throw new IOException(
            "the history in "
                + dataDir.resolve(HistoryStore.DIR)
                + " is at journal record "
                + history.appliedSeq()
                + ", past the journal's last record "
                + recovered.lastSeq()
                + "; it belongs to another journal: delete it and restart to rebuild it");
      }
      if (recovered.lastSeq() != journal.lastSeq()) {
        throw new IOException(
            "recovered up to "
                + recovered.lastSeq()
                + " but the journal ends at "
                + journal.lastSeq());
      }
      LOG.info(
          "recovered to journal record {} in {} ms: snapshot at {}, {} records replayed from {}"
              + " journal segment(s) in {}; history was at record {}",
          recovered.lastSeq(),
          (System.nanoTime() - started) / 1_000_000,
          recovered.snapshotSeq(),
          recovered.replayed(),
          recovered.segmentsRead(),
          dataDir,
          historySeq);
      long copyStart = System.nanoTime();
      Replica replica =
          durability.snapshotReplica()
              ? replica(recovered.core(), recovered.lastSeq(), readModel)
              : null;
      if (replica != null) {
        LOG.info(
            "snapshot replica: core and read model captured in {} ms (decoded on its own thread)",
            (System.nanoTime() - copyStart) / 1_000_000);
      }
      snapshotter = snapshotter(dataDir, durability, readModel, replica);
      return start(options, lock, journal, snapshotter, history, recovered.core(), risk, readModel);
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        if (snapshotter != null) {
          snapshotter.close();
        }
        if (history != null) {
          history.close();
        }
        if (journal != null) {
          journal.close();
        }
      } finally {
        lock.close();
      }
      throw e;
    }
  }

  /**
   * Restores the read model from the snapshot's read side, then applies each replayed record (the
   * read model writes the history entries of the records after the history's own last record).
   */
  private static final class ReadModelReplay implements Recovery.ReplayObserver {
    private final ReadModel readModel;
    private final long historySeq;

    ReadModelReplay(ReadModel readModel, long historySeq) {
      this.readModel = readModel;
      this.historySeq = historySeq;
    }

    @Override
    public void startingFrom(long journalSeq, byte[] readSide) throws IOException {
      readModel.replaying(true);
      if (journalSeq == 0) {
        return;
      }
      if (historySeq < journalSeq) {
        // the node syncs the history before every snapshot, so this is a history directory that
        // was deleted, restored from elsewhere or written before the history existed
        throw new IOException(
            "the history is at journal record "
                + historySeq
                + " but recovery starts from the snapshot at record "
                + journalSeq
                + ": the records between are not replayed, so the history would miss them."
                + " Restore the history directory, or start from the full journal (no snapshots)"
                + " to rebuild it");
      }
      if (readSide == null) {
        throw new IOException(
            "the snapshot at record "
                + journalSeq
                + " holds no read model (written by a sequencer without a gateway?); the demo"
                + " node cannot rebuild its read model from it");
      }
      readModel.restoreSnapshot(readSide);
    }

    @Override
    public void replayed(long seq, Command command, List<SequencerEvent> events) {
      readModel.apply(command, seq, events);
    }
  }

  /** The replica's copies of the core and of the read model, and what it needs of the history. */
  private record Replica(SnapshotReplica replica, ReadModel readModel, HistoryStore history) {
    /**
     * The replica's read side at {@code seq}: first the live history's log forced to the disk (it
     * holds every record up to {@code seq}: the journal thread feeds the replica after writing a
     * group's history), so the history is never behind a snapshot.
     */
    byte[] encode(long seq) {
      if (history.appliedSeq() < seq) {
        throw new IllegalStateException(
            "the history is at journal record "
                + history.appliedSeq()
                + ", behind the snapshot at "
                + seq
                + " (a failed history write?); no snapshot until a restart rebuilds it");
      }
      history.syncWal();
      return readModel.encodeSnapshot(seq);
    }
  }

  /**
   * A replica of the recovered core and read model: their states are captured here, before the
   * pipeline starts (so both are still), and decoded into the copies on the replica thread, so the
   * start does not wait for that. Its read model keeps no history and publishes nothing.
   */
  private static Replica replica(SequencerCore core, long journalSeq, ReadModel readModel) {
    RiskEngine risk = DemoMarkets.riskEngine();
    byte[] coreState = SnapshotStore.serialize(core);
    byte[] readState = readModel.encodeSnapshot(journalSeq);
    ReadModel readCopy = new ReadModel(risk.config(), null);
    readCopy.replaying(true);
    SnapshotReplica replica =
        new SnapshotReplica(
            () -> {
              readCopy.restoreSnapshot(readState);
              return SnapshotReplica.decode(coreState, OrderBookFactory.OPTIMISED, risk);
            },
            journalSeq,
            (seq, command, events) -> readCopy.apply(command, seq, events),
            SnapshotReplica.DEFAULT_CAPACITY);
    return new Replica(replica, readCopy, readModel.history());
  }

  /**
   * Snapshots of the core and the read model, written in the background; taken by the replica if
   * there is one, else by pausing the core and journal threads.
   */
  private static Snapshotter snapshotter(
      Path dataDir, DurabilityOptions durability, ReadModel readModel, Replica replica)
      throws IOException {
    return Snapshotter.builder(new SnapshotStore(dataDir.resolve(Recovery.SNAPSHOT_DIR)))
        .everyRecords(durability.snapshotEveryRecords())
        .everyMillis(durability.snapshotEverySeconds() * 1_000)
        .keep(durability.snapshotsKept())
        .releaseSegments(dataDir, durability.journalArchiveDir())
        .replica(replica == null ? null : replica.replica())
        .readSide(replica == null ? readModel::encodeSnapshot : replica::encode)
        .events(
            new Snapshotter.Events() {
              @Override
              public void written(
                  long journalSeq,
                  Path file,
                  long coreNanos,
                  long readSideNanos,
                  long writeNanos,
                  int releasedSegments) {
                LOG.info(
                    "snapshot at journal record {} written in {} ms; {}: core {} µs, read model {}"
                        + " µs; {} journal segment(s) released",
                    journalSeq,
                    writeNanos / 1_000_000,
                    replica == null
                        ? "pauses of the core and journal threads"
                        : "taken by the replica (no pause of intake)",
                    coreNanos / 1_000,
                    readSideNanos / 1_000,
                    releasedSegments);
              }

              @Override
              public void failed(long journalSeq, Exception error) {
                LOG.warn(
                    "snapshot at journal record {} failed; the journal still holds every record",
                    journalSeq,
                    error);
              }
            })
        .build();
  }

  /** Starts the gateway and the feed on a recovered core; closes nothing on failure. */
  private static GatewayNode start(
      NodeOptions options,
      DataDirectoryLock lock,
      JournalWriter journal,
      Snapshotter snapshotter,
      HistoryStore history,
      SequencerCore core,
      RiskEngine risk,
      ReadModel readModel)
      throws IOException, InterruptedException {
    // the core thread has not started: reading the engine here is safe
    long[] prices = new long[DemoMarkets.marketIds()[DemoMarkets.MARKETS.size() - 1] + 1];
    for (int m : DemoMarkets.marketIds()) {
      prices[m] = risk.oracleFixed(m);
    }
    long coreTime = core.time();
    PublicKeyDirectory.InMemory keys = PublicKeyDirectory.inMemory();
    for (int i = 0; i < options.demoAccounts(); i++) {
      keys.register(i, demoKey(i).publicKey());
    }
    Gateway gateway =
        Gateway.start(
            GatewaySetup.builder(options.config(), core, journal, keys)
                .clockSeconds(options.clockSeconds())
                .readModel(readModel)
                .snapshotter(snapshotter)
                .signatures(options.signatures().create())
                .domain(options.domain())
                .build());
    PriceFeed feed =
        new PriceFeed(
            gateway.bridge(),
            options.clockSeconds(),
            coreTime,
            prices,
            System.nanoTime(),
            options.domain());
    GatewayNode node = new GatewayNode(gateway, journal, snapshotter, history, feed, lock);
    try {
      if (journal.lastSeq() == 0) {
        node.setUpDemo(options.demoAccounts());
      }
      feed.step();
      if (options.feedIntervalMillis() > 0) {
        feed.start(options.feedIntervalMillis());
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      node.closeServing();
      throw e;
    }
    return node;
  }

  private void setUpDemo(int demoAccounts) throws IOException, InterruptedException {
    List<Command> setup = new ArrayList<>(DemoMarkets.MARKETS);
    for (int a = 0; a < demoAccounts; a++) {
      setup.add(new DepositCollateral(a, DemoMarkets.DEMO_COLLATERAL));
    }
    setup.add(new TopUpInsuranceFund(DemoMarkets.INSURANCE_TOP_UP));
    for (Command c : setup) {
      CommandOutcome o;
      try {
        o = gateway.bridge().submit(c).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("demo setup: " + c + " failed", e);
      }
      if (!(o instanceof CommandOutcome.Accepted)) {
        throw new IOException("demo setup: " + c + " refused: " + o);
      }
    }
    LOG.info(
        "demo set up: {} markets, {} accounts with {} collateral each, insurance fund {}",
        DemoMarkets.MARKETS.size(),
        demoAccounts,
        DemoMarkets.DEMO_COLLATERAL,
        DemoMarkets.INSURANCE_TOP_UP);
  }

  /**
   * The running gateway. Any thread.
   *
   * @return the gateway
   */
  public Gateway gateway() {
    return gateway;
  }

  /**
   * The built-in price feed. Any thread (see {@link PriceFeed} for what each method allows).
   *
   * @return the feed
   */
  public PriceFeed priceFeed() {
    return feed;
  }

  /**
   * The snapshotter (statistics: pauses, snapshots written, segments released). Any thread.
   *
   * @return the snapshotter
   */
  public Snapshotter snapshotter() {
    return snapshotter;
  }

  /**
   * Asks for a snapshot after the next accepted command (the price feed submits one every
   * interval). Any thread.
   */
  public void requestSnapshot() {
    snapshotter.requestSnapshot();
  }

  /**
   * Stops the price feed, then shuts the gateway and the sequencer down gracefully (the sequencer
   * takes a final snapshot of the core and the read model, which writes the pending history first),
   * waits for the snapshot writer, then closes the history, the journal and releases the data
   * directory. Controlling thread.
   *
   * @throws IOException if closing the journal or the lock file fails
   */
  @Override
  public void close() throws IOException {
    try {
      closeServing();
      snapshotter.close();
      history.close();
      journal.close();
    } finally {
      lock.close();
    }
  }

  /** Stops the feed and the gateway; the journal and the lock stay (the caller closes them). */
  private void closeServing() {
    try {
      feed.close();
    } finally {
      gateway.close();
    }
  }
}
