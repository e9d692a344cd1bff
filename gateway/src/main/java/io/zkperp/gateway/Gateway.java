package io.zkperp.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.SequencerBridge;
import io.zkperp.gateway.methods.AccountLimit;
import io.zkperp.gateway.methods.CancelAllMethod;
import io.zkperp.gateway.methods.CancelOrderMethod;
import io.zkperp.gateway.methods.CancelReplayGuard;
import io.zkperp.gateway.methods.CancelVerifier;
import io.zkperp.gateway.methods.DiscoverMethod;
import io.zkperp.gateway.methods.GetAccountMethod;
import io.zkperp.gateway.methods.GetCandlesMethod;
import io.zkperp.gateway.methods.GetCollateralHistoryMethod;
import io.zkperp.gateway.methods.GetDomainMethod;
import io.zkperp.gateway.methods.GetFillsMethod;
import io.zkperp.gateway.methods.GetFundingHistoryMethod;
import io.zkperp.gateway.methods.GetFundingPaymentsMethod;
import io.zkperp.gateway.methods.GetLiquidationLadderMethod;
import io.zkperp.gateway.methods.GetMarketsMethod;
import io.zkperp.gateway.methods.GetNoncesMethod;
import io.zkperp.gateway.methods.GetOpenOrdersMethod;
import io.zkperp.gateway.methods.GetOrderBookMethod;
import io.zkperp.gateway.methods.GetOrderHistoryMethod;
import io.zkperp.gateway.methods.GetTradesMethod;
import io.zkperp.gateway.methods.NotSettlingMethod;
import io.zkperp.gateway.methods.PlaceOrderMethod;
import io.zkperp.gateway.methods.ReadGrants;
import io.zkperp.gateway.methods.SubscribeMethod;
import io.zkperp.gateway.methods.UnsubscribeMethod;
import io.zkperp.gateway.rpc.JsonRpcProcessor;
import io.zkperp.gateway.rpc.RateLimiter;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountFeed;
import io.zkperp.gateway.stream.BookFeed;
import io.zkperp.gateway.stream.SettlementFeed;
import io.zkperp.gateway.stream.StreamFeeds;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.CancelOrderMessage;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import io.zkperp.sequencer.pipeline.Sequencer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sequencer pipeline with the JSON-RPC gateway in front of it: builds the {@link Sequencer}
 * around the given core and journal with a {@link SequencerBridge} as its output, the method table,
 * and the {@link GatewayServer}. {@link #start} and {@link #close} from one controlling thread; the
 * accessors from any thread. After {@link #close} the caller owns the core again and closes the
 * journal.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Sequencer sequencer;
  private final SequencerBridge bridge;
  private final ExecutorService verifiers;
  private final PrometheusMeterRegistry metrics;
  private final GatewayServer server;
  private final long drainMillis;
  private final BookFeed feed;
  private final SettlementFeed settlementFeed;

  private Gateway(
      Sequencer sequencer,
      SequencerBridge bridge,
      ExecutorService verifiers,
      PrometheusMeterRegistry metrics,
      GatewayServer server,
      long drainMillis,
      BookFeed feed,
      SettlementFeed settlementFeed) {
    this.settlementFeed = settlementFeed;
    this.sequencer = sequencer;
    this.bridge = bridge;
    this.verifiers = verifiers;
    this.metrics = metrics;
    this.server = server;
    this.drainMillis = drainMillis;
    this.feed = feed;
  }

  /**
   * Starts the sequencer and the server. Controlling thread.
   *
   * @param setup the parts to wire, by name ({@link GatewaySetup#builder})
   * @return the running gateway
   * @throws InterruptedException if interrupted while binding
   * @throws PortInUseException if the configured port is taken
   */
  public static Gateway start(GatewaySetup setup) throws InterruptedException {
    GatewayConfig config = setup.config();
    JournalWriter journal = setup.journal();
    ReadModel readModel = setup.readModel();
    PublicKeyDirectory keys = setup.keys();
    SignatureVerifier signatures = setup.signatures();
    LongSupplier clockSeconds = setup.clockSeconds();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SequencerBridge bridge =
        new SequencerBridge(readModel, config.maxInFlight(), config.commandTimeoutMillis());
    Sequencer.Builder builder =
        Sequencer.builder(setup.core(), journal, keys, setup.domain(), bridge)
            .signatures(signatures)
            .intakeThreads(setup.intakeThreads())
            .ringSize(setup.ringSize());
    Sequencer sequencer =
        setup.snapshotter() != null
            ? builder.snapshotter(setup.snapshotter()).start()
            : builder.snapshots(setup.snapshots(), setup.snapshotEvery()).start();
    bridge.attach(sequencer);
    BookFeed feed = new BookFeed(readModel);
    bridge.onBookChanges(feed::publish);
    bridge.onTrades(feed::publishTrades);
    bridge.onAcceptedCommands(setup.acceptedSink());
    AccountFeed accountFeed = new AccountFeed(readModel, feed);
    SettlementFeed settlementFeed = new SettlementFeed(feed);
    readModel.onStreamUpdates(accountFeed::publish);
    StreamFeeds streams = new StreamFeeds(feed, accountFeed, settlementFeed);
    GatewayMeters meters = new GatewayMeters(metrics);
    meters.streams(feed);
    meters.pipeline(bridge, journal);
    if (setup.snapshotter() != null) {
      meters.snapshots(setup.snapshotter());
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService verifiers =
        Executors.newFixedThreadPool(
            config.verifyThreads(),
            r -> {
              Thread t = new Thread(r, "gateway-verify-" + n.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
    AccountLimit accountLimit =
        new AccountLimit(
            new RateLimiter<>(
                config.accountRatePerSecond(), config.accountBurst(), 100_000, System::nanoTime));
    // A non-empty journal means a restart: cancels signed before it may have been used already.
    CancelReplayGuard replays =
        new CancelReplayGuard(
            journal.lastSeq() > 0
                ? clockSeconds.getAsLong() + CancelOrderMessage.MAX_VALIDITY_SECONDS
                : Long.MIN_VALUE);
    CancelVerifier verifier =
        new CancelVerifier(
            keys, verifiers, clockSeconds, accountLimit, replays, signatures, setup.domain());
    ReadGrants grants =
        new ReadGrants(
            keys,
            verifiers,
            clockSeconds,
            signatures,
            setup.domain(),
            ReadGrants.DEFAULT_CACHE_SIZE);
    List<RpcHandler> handlers =
        new ArrayList<>(
            List.of(
                new PlaceOrderMethod(bridge, accountLimit),
                new CancelOrderMethod(bridge, verifier),
                new CancelAllMethod(bridge, verifier),
                new GetMarketsMethod(readModel),
                new GetOrderBookMethod(readModel),
                new GetOpenOrdersMethod(readModel, grants),
                new GetNoncesMethod(readModel, grants),
                new GetAccountMethod(readModel, grants),
                new GetFillsMethod(readModel, grants),
                new GetOrderHistoryMethod(readModel, grants),
                new GetFundingPaymentsMethod(readModel, grants),
                new GetCollateralHistoryMethod(readModel, grants),
                new GetTradesMethod(readModel),
                new GetCandlesMethod(readModel),
                new GetFundingHistoryMethod(readModel),
                new GetLiquidationLadderMethod(readModel),
                new SubscribeMethod(
                    streams, readModel, config.maxSubscriptionsPerConnection(), grants),
                new UnsubscribeMethod(streams),
                new DiscoverMethod()));
    handlers.addAll(setup.settlementMethods());
    // a settling node gives its own perp_getDomain, naming its withdrawals' and transfers' format
    if (handlers.stream().noneMatch(h -> h.method() == RpcMethod.GET_DOMAIN)) {
      handlers.add(new GetDomainMethod(setup.domain()));
    }
    for (RpcMethod m :
        List.of(
            RpcMethod.WITHDRAW,
            RpcMethod.TRANSFER,
            RpcMethod.GET_BATCH,
            RpcMethod.GET_BATCHES,
            RpcMethod.GET_SETTLEMENT,
            RpcMethod.GET_ESCAPE_PROOF)) {
      if (handlers.stream().noneMatch(h -> h.method() == m)) {
        handlers.add(new NotSettlingMethod(m));
      }
    }
    JsonRpcProcessor processor =
        new JsonRpcProcessor(
            handlers,
            config.maxBatch(),
            metrics,
            new RateLimiter<>(
                config.ipRatePerSecond(), config.ipBurst(), 100_000, System::nanoTime));
    GatewayServer server;
    try {
      server = GatewayServer.start(config, processor, metrics, setup.health());
    } catch (InterruptedException | RuntimeException e) {
      sequencer.close();
      bridge.close();
      verifiers.shutdownNow();
      feed.close();
      throw e;
    }
    LOG.info(
        "gateway listening on {}:{} ({} transport)",
        config.host(),
        server.port(),
        GatewayServer.transport());
    return new Gateway(
        sequencer,
        bridge,
        verifiers,
        metrics,
        server,
        config.commandTimeoutMillis(),
        feed,
        settlementFeed);
  }

  /**
   * The settlement stream (channel {@code batches} of {@code perp_subscribe}): a settling node
   * publishes each batch's status changes to it. Any thread.
   *
   * @return the feed
   */
  public SettlementFeed settlementFeed() {
    return settlementFeed;
  }

  /**
   * The bound port. Any thread.
   *
   * @return the port
   */
  public int port() {
    return server.port();
  }

  /**
   * The bridge, for operator commands (markets, deposits) that do not come over JSON-RPC. Any
   * thread.
   *
   * @return the bridge
   */
  public SequencerBridge bridge() {
    return bridge;
  }

  /**
   * The read model. Any thread.
   *
   * @return the read model
   */
  public ReadModel readModel() {
    return bridge.readModel();
  }

  /**
   * The metrics registry. Any thread.
   *
   * @return the registry
   */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /**
   * Graceful shutdown: refuse new commands (SHUTTING_DOWN), wait up to the command timeout for the
   * commands in flight to be answered and their responses written, stop the server, drain and stop
   * the sequencer, fail anything left. The journal stays open (the caller closes it).
   */
  @Override
  public void close() {
    bridge.stopAccepting();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
    while (bridge.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.close();
    sequencer.close();
    bridge.close();
    verifiers.shutdownNow();
    feed.close();
    metrics.close();
  }
}
