package io.zkperp.gateway.node;

import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.SequencerBridge;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo node's built-in signed price feed. Each step reads the node clock (unix seconds); if it
 * has moved past the last step's time it submits, through the bridge, a {@link Tick} at that time
 * (so the core's time follows the clock, orders expire and the risk engine takes its funding
 * samples) and then, per demo market, a {@link SignedOraclePrices} batch signed by all {@link
 * DemoMarkets#ORACLE_SIGNERS} built-in oracle keys at that timestamp. The prices follow a bounded
 * random walk: each step moves at most 0.1% (far inside the oracle's {@link
 * DemoMarkets#MAX_MOVE_PPM}) and stays within {@link DemoMarkets#BAND_PPM} of the market's centre
 * price; each signer adds its own jitter of at most 0.005%, and the core takes the lower median.
 *
 * <p>The keys are demo keys (public seeds, {@link DemoMarkets#oracleKey}): this feed stands in for
 * real oracle signers. {@link #step} from one thread at a time (the feed thread, or the thread that
 * opens the node before the feed thread starts); {@link #start} and {@link #close} from the
 * controlling thread; the getters from any thread.
 */
public final class PriceFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PriceFeed.class);

  private final PeriodicThread loop = new PeriodicThread("node-price-feed", this::step, LOG);
  private static final long STEP_PPM = 1_000;
  private static final long JITTER_PPM = 50;
  private static final long ANSWER_SECONDS = 10;

  private final SequencerBridge bridge;
  private final MessageDomain domain;
  private final LongSupplier clockSeconds;
  private final int[] markets;
  private final long[] walk; // 32.32, by market
  private final AtomicLong[] accepted; // last accepted 32.32 price by market, 0 = none
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong rejections = new AtomicLong();
  private final SplittableRandom random;
  private final EdDsaPrivateKey[] keys = new EdDsaPrivateKey[DemoMarkets.ORACLE_SIGNERS];
  private long lastTime;

  /**
   * A feed that starts where the recovered engine is.
   *
   * @param bridge where to submit the commands
   * @param clockSeconds the node clock, unix seconds
   * @param lastTime the time of the last step already journaled (the core's time), 0 if none
   * @param lastPrices the recovered 32.32 price of each market (index = market id; 0 = none yet,
   *     then the walk starts at the centre price)
   * @param seed the random walk's seed
   * @param domain the deployment the reports are signed for
   */
  PriceFeed(
      SequencerBridge bridge,
      LongSupplier clockSeconds,
      long lastTime,
      long[] lastPrices,
      long seed,
      MessageDomain domain) {
    this.bridge = bridge;
    this.domain = domain;
    this.clockSeconds = clockSeconds;
    this.markets = DemoMarkets.marketIds();
    int size = markets[markets.length - 1] + 1;
    this.walk = new long[size];
    this.accepted = new AtomicLong[size];
    for (int m : markets) {
      long recovered = m < lastPrices.length ? lastPrices[m] : 0;
      walk[m] = recovered > 0 ? recovered : DemoMarkets.centrePrice(m) << 32;
      accepted[m] = new AtomicLong(recovered);
    }
    for (int s = 0; s < keys.length; s++) {
      keys[s] = DemoMarkets.oracleKey(s);
    }
    this.lastTime = lastTime;
    this.random = new SplittableRandom(seed);
  }

  /**
   * One step: if the clock moved past the last step, a {@code Tick} and a signed batch per market,
   * each submitted and waited for (at most 10 s each). Rejections are logged and counted, never
   * thrown. See the class comment for the thread.
   *
   * @return true if the clock had moved and commands were submitted
   * @throws InterruptedException if interrupted while waiting for an answer
   */
  public boolean step() throws InterruptedException {
    long now = clockSeconds.getAsLong();
    if (now <= lastTime) {
      return false;
    }
    lastTime = now;
    submit(new Tick(now));
    for (int m : markets) {
      long centre = DemoMarkets.centrePrice(m) << 32;
      long band = centre / 1_000_000 * DemoMarkets.BAND_PPM;
      long move = walk[m] / 1_000_000 * (random.nextLong(2 * STEP_PPM + 1) - STEP_PPM);
      walk[m] = Math.clamp(walk[m] + move, centre - band, centre + band);
      List<PriceReport> reports = new ArrayList<>(DemoMarkets.ORACLE_SIGNERS);
      for (int s = 0; s < DemoMarkets.ORACLE_SIGNERS; s++) {
        long jitter = walk[m] / 1_000_000 * (random.nextLong(2 * JITTER_PPM + 1) - JITTER_PPM);
        reports.add(PriceReportSigning.sign(domain, keys[s], s, m, walk[m] + jitter, now));
      }
      if (submit(new SignedOraclePrices(m, reports))) {
        long[] sorted = reports.stream().mapToLong(PriceReport::price).sorted().toArray();
        accepted[m].set(sorted[(sorted.length - 1) / 2]);
        batches.incrementAndGet();
      }
    }
    return true;
  }

  private boolean submit(Command c) throws InterruptedException {
    CommandOutcome o;
    try {
      o = bridge.submit(c).get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      rejections.incrementAndGet();
      LOG.warn("price feed: {} not answered: {}", c.getClass().getSimpleName(), e.toString());
      return false;
    }
    if (o instanceof CommandOutcome.Rejected r) {
      rejections.incrementAndGet();
      LOG.warn(
          "price feed: {} rejected {}: {}", c.getClass().getSimpleName(), r.reason(), r.message());
      return false;
    }
    return true;
  }

  /**
   * Starts the feed thread ({@code node-price-feed}, daemon), which calls {@link #step} every
   * {@code intervalMillis}. Controlling thread; at most once.
   *
   * @param intervalMillis the period, &gt; 0
   */
  public synchronized void start(long intervalMillis) {
    loop.start(intervalMillis, false);
  }

  /**
   * The last accepted price of a market, from this feed (recovered on start).
   *
   * @param market the market
   * @return the 32.32 price, 0 if none
   */
  public long lastAcceptedPrice(int market) {
    return market >= 0 && market < accepted.length && accepted[market] != null
        ? accepted[market].get()
        : 0;
  }

  /**
   * The number of signed batches this feed had accepted since the node started. Any thread.
   *
   * @return the count
   */
  public long acceptedBatches() {
    return batches.get();
  }

  /**
   * The number of this feed's commands that were rejected or not answered. Any thread.
   *
   * @return the count
   */
  public long rejectedCommands() {
    return rejections.get();
  }

  /**
   * Stops the feed thread and waits for it (at most 15 s; if the caller is interrupted it stops
   * waiting and keeps its interrupt status). Controlling thread; idempotent.
   */
  @Override
  public synchronized void close() {
    loop.close();
  }
}
