package io.zkperp.gateway.node;

import io.zkperp.gateway.Gateway;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.TopUpInsuranceFund;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import io.zkperp.sequencer.risk.RiskEngine;
import java.io.IOException;
import java.nio.file.Files;
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
 * on a data directory whose only durable state is the sequencer's journal ({@code journal.log}).
 *
 * <p>On start it replays the journal into a fresh core with a fresh risk engine ({@link
 * DemoMarkets#riskEngine()}; no snapshots) and feeds every replayed command and its events to the
 * read model, so the core, the read model and the journal agree after a restart. On an empty
 * journal it lists the {@link DemoMarkets#MARKETS}, deposits {@link DemoMarkets#DEMO_COLLATERAL}
 * into each demo account 0 to {@link #DEMO_ACCOUNTS}−1 and tops up the insurance fund, all as
 * operator commands through the bridge (journaled like any other). Then the {@link PriceFeed} takes
 * one step before {@link #open} returns (so orders can be placed at once: every market has a signed
 * price) and, if its interval is positive, runs on its own thread.
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
  private final PriceFeed feed;

  private GatewayNode(Gateway gateway, JournalWriter journal, PriceFeed feed) {
    this.gateway = gateway;
    this.journal = journal;
    this.feed = feed;
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
   * Opens the data directory with the default feed period ({@link #DEFAULT_FEED_INTERVAL_MILLIS}).
   *
   * @param dataDir the data directory (holds {@code journal.log}; created if absent)
   * @param config the gateway settings
   * @param clockSeconds unix time in seconds: the feed's timestamps and ticks, cancels' windows
   * @return the running node
   * @throws IOException if the journal cannot be read or written, or the demo setup fails
   * @throws InterruptedException if interrupted while starting
   */
  public static GatewayNode open(Path dataDir, GatewayConfig config, LongSupplier clockSeconds)
      throws IOException, InterruptedException {
    return open(dataDir, config, clockSeconds, DEFAULT_FEED_INTERVAL_MILLIS);
  }

  /**
   * Opens the data directory (created if absent), recovers, sets up the demo on an empty journal,
   * takes one price feed step and starts serving.
   *
   * @param dataDir the data directory (holds {@code journal.log})
   * @param config the gateway settings
   * @param clockSeconds unix time in seconds: the feed's timestamps and ticks, cancels' windows.
   *     The feed submits only when this has moved past its last step, so a fixed clock gives one
   *     step at start and nothing after
   * @param feedIntervalMillis the price feed period; 0 = no feed thread (only the step at start)
   * @return the running node
   * @throws IOException if the journal cannot be read or written, or the demo setup fails
   * @throws InterruptedException if interrupted while starting
   */
  public static GatewayNode open(
      Path dataDir, GatewayConfig config, LongSupplier clockSeconds, long feedIntervalMillis)
      throws IOException, InterruptedException {
    return open(dataDir, config, clockSeconds, feedIntervalMillis, DEMO_ACCOUNTS);
  }

  /**
   * Opens the data directory with {@code demoAccounts} demo accounts (for load tests that sign with
   * many keys). The accounts are funded when the journal is empty; a node restarted with more
   * accounts than it was set up with registers the extra keys without collateral.
   *
   * @param dataDir the data directory (holds {@code journal.log})
   * @param config the gateway settings
   * @param clockSeconds unix time in seconds
   * @param feedIntervalMillis the price feed period; 0 = no feed thread
   * @param demoAccounts demo accounts 0 … demoAccounts−1 (1 to 100,000)
   * @return the running node
   * @throws IOException if the journal cannot be read or written, or the demo setup fails
   * @throws InterruptedException if interrupted while starting
   */
  public static GatewayNode open(
      Path dataDir,
      GatewayConfig config,
      LongSupplier clockSeconds,
      long feedIntervalMillis,
      int demoAccounts)
      throws IOException, InterruptedException {
    return open(
        dataDir, config, clockSeconds, feedIntervalMillis, demoAccounts, SignatureVerifiers.AUTO);
  }

  /**
   * Opens the data directory with {@code demoAccounts} demo accounts and the given order signature
   * verifier.
   *
   * @param dataDir the data directory (holds {@code journal.log})
   * @param config the gateway settings
   * @param clockSeconds unix time in seconds
   * @param feedIntervalMillis the price feed period; 0 = no feed thread
   * @param demoAccounts demo accounts 0 … demoAccounts−1 (1 to 100,000)
   * @param signatures which verifier the order intake uses
   * @return the running node
   * @throws IOException if the journal cannot be read or written, or the demo setup fails
   * @throws InterruptedException if interrupted while starting
   */
  public static GatewayNode open(
      Path dataDir,
      GatewayConfig config,
      LongSupplier clockSeconds,
      long feedIntervalMillis,
      int demoAccounts,
      SignatureVerifiers signatures)
      throws IOException, InterruptedException {
    if (demoAccounts < 1 || demoAccounts > 100_000) {
      throw new IllegalArgumentException("demoAccounts must be 1 to 100,000: " + demoAccounts);
    }
    if (feedIntervalMillis < 0) {
      throw new IllegalArgumentException("feedIntervalMillis must be ≥ 0: " + feedIntervalMillis);
    }
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(Recovery.JOURNAL_FILE);
    JournalWriter journal = JournalWriter.open(file); // cuts a torn tail
    EventCollector events = new EventCollector();
    RiskEngine risk = DemoMarkets.riskEngine();
    SequencerCore core =
        new SequencerCore(
            OrderBookFactory.OPTIMISED, SelfTradePrevention.EXPIRE_MAKER, risk, events);
    ReadModel readModel =
        new ReadModel(risk.config()); // margin figures need the risk configuration
    JournalReader.Result replayed;
    try {
      replayed =
          JournalReader.read(
              file,
              (seq, command) -> {
                if (!core.apply(command)) {
                  throw new IllegalStateException(
                      "journal record "
                          + seq
                          + " ("
                          + command.getClass().getSimpleName()
                          + ") is rejected on replay: "
                          + core.lastRejectReason()
                          + " "
                          + core.lastRejectMessage()
                          + ". Was "
                          + file
                          + " written by another version of the demo node? Start with an empty"
                          + " data directory.");
                }
                readModel.apply(command, seq, events.drain());
              });
    } catch (IOException | RuntimeException e) {
      journal.close();
      throw e;
    }
    if (replayed.lastSeq() != journal.lastSeq()) {
      journal.close();
      throw new IOException(
          "replayed up to " + replayed.lastSeq() + " but the journal ends at " + journal.lastSeq());
    }
    LOG.info("replayed {} journal records from {}", replayed.records(), file);
    // the core thread has not started: reading the engine here is safe
    long[] prices = new long[DemoMarkets.marketIds()[DemoMarkets.MARKETS.size() - 1] + 1];
    for (int m : DemoMarkets.marketIds()) {
      prices[m] = risk.oracleFixed(m);
    }
    long coreTime = core.time();
    PublicKeyDirectory.InMemory keys = PublicKeyDirectory.inMemory();
    for (int i = 0; i < demoAccounts; i++) {
      keys.register(i, demoKey(i).publicKey());
    }
    Gateway gateway;
    try {
      gateway =
          Gateway.start(
              config,
              core,
              journal,
              null,
              0,
              keys,
              2,
              8192,
              clockSeconds,
              readModel,
              signatures.create());
    } catch (InterruptedException | RuntimeException e) {
      journal.close();
      throw e;
    }
    PriceFeed feed =
        new PriceFeed(gateway.bridge(), clockSeconds, coreTime, prices, System.nanoTime());
    GatewayNode node = new GatewayNode(gateway, journal, feed);
    try {
      if (replayed.records() == 0) {
        node.setUpDemo(demoAccounts);
      }
      feed.step();
      if (feedIntervalMillis > 0) {
        feed.start(feedIntervalMillis);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      node.close();
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
   * Stops the price feed, then shuts the gateway and the sequencer down gracefully, then closes the
   * journal. Controlling thread.
   *
   * @throws IOException if closing the journal fails
   */
  @Override
  public void close() throws IOException {
    try {
      feed.close();
    } finally {
      try {
        gateway.close();
      } finally {
        journal.close();
      }
    }
  }
}
