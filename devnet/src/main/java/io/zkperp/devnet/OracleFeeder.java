package io.zkperp.devnet;

import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.SequencerBridge;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.gateway.node.PeriodicThread;
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
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devnet's oracle feeder: every step (when the clock has moved to a new second) it submits a
 * {@link Tick} at that time, so the engine's clock, order expiry and funding samples follow the
 * wall clock, and per market a {@link SignedOraclePrices} batch with one report from each of the
 * deployment's oracle signers ({@link OracleSignerKeys}: the keys the engine's oracle configuration
 * holds), signed for the deployment's domain (chain id and rollup address). Each market's price
 * follows a random walk seeded by {@code --seed}: each step moves at most {@link #STEP_PPM} ppm and
 * stays within {@link #BAND_PPM} ppm of the market's centre price; each signer adds a jitter of at
 * most {@link #JITTER_PPM} ppm and the engine takes the lower median. On a restart the walk
 * continues from the engine's recovered price.
 *
 * <p>The signer keys are the devnet's own, generated on its first start and kept in its data
 * directory: a devnet stands in for real oracle signers. Threads: {@link #step} from one thread at
 * a time (the feeder thread, or the controlling thread before {@link #start}); {@link #start} and
 * {@link #close} from the controlling thread; {@link #price} and the counters from any thread.
 */
final class OracleFeeder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OracleFeeder.class);

  private final PeriodicThread loop = new PeriodicThread("devnet-oracle-feeder", this::step, LOG);
  static final long STEP_PPM = 2_000;
  static final long BAND_PPM = 50_000;
  static final long JITTER_PPM = 50;

  private final SequencerBridge bridge;
  private final MessageDomain domain;
  private final LongSupplier clockSeconds;
  private final int[] markets;
  private final long[] walk; // 32.32 by market
  private final AtomicLongArray accepted; // last accepted 32.32 price by market
  private final SplittableRandom random;
  private final List<EdDsaPrivateKey> keys;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong rejections = new AtomicLong();
  private long lastTime;

  OracleFeeder(
      SequencerBridge bridge,
      ReadModel readModel,
      MessageDomain domain,
      OracleSignerKeys signers,
      List<Integer> markets,
      long seed,
      LongSupplier clockSeconds) {
    this.bridge = bridge;
    this.domain = domain;
    this.clockSeconds = clockSeconds;
    this.markets = markets.stream().mapToInt(Integer::intValue).toArray();
    int size = markets.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    this.walk = new long[size];
    this.accepted = new AtomicLongArray(size);
    for (int m : this.markets) {
      List<ReadModel.MarketState> s = readModel.marketStates(m);
      long recovered = s.isEmpty() ? 0 : s.getFirst().oraclePrice();
      walk[m] = recovered > 0 ? recovered : DemoMarkets.centrePrice(m) << 32;
      accepted.set(m, recovered);
      if (!s.isEmpty()) {
        lastTime = Math.max(lastTime, s.getFirst().oracleTimestamp());
      }
    }
    this.keys = signers.keys();
    this.random = new SplittableRandom(seed);
  }

  /**
   * One step: if the clock moved to a new second, a {@code Tick} and one signed batch per market.
   * Rejections are logged and counted.
   *
   * @return true if commands were submitted
   * @throws InterruptedException if interrupted while waiting for the engine
   */
  boolean step() throws InterruptedException {
    long now = clockSeconds.getAsLong();
    if (now <= lastTime) {
      return false;
    }
    lastTime = now;
    submit(new Tick(now));
    for (int m : markets) {
      long centre = DemoMarkets.centrePrice(m) << 32;
      long band = centre / 1_000_000 * BAND_PPM;
      long move = walk[m] / 1_000_000 * (random.nextLong(2 * STEP_PPM + 1) - STEP_PPM);
      walk[m] = Math.clamp(walk[m] + move, centre - band, centre + band);
      List<PriceReport> reports = new ArrayList<>(keys.size());
      for (int s = 0; s < keys.size(); s++) {
        long jitter = walk[m] / 1_000_000 * (random.nextLong(2 * JITTER_PPM + 1) - JITTER_PPM);
        reports.add(PriceReportSigning.sign(domain, keys.get(s), s, m, walk[m] + jitter, now));
      }
      if (submit(new SignedOraclePrices(m, reports))) {
        long[] sorted = reports.stream().mapToLong(PriceReport::price).sorted().toArray();
        accepted.set(m, sorted[(sorted.length - 1) / 2]);
        batches.incrementAndGet();
      }
    }
    return true;
  }

  private boolean submit(Command c) throws InterruptedException {
    CommandOutcome o;
    try {
      o = bridge.submit(c).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      rejections.incrementAndGet();
      LOG.warn("oracle feeder: {} not answered: {}", c.getClass().getSimpleName(), e.toString());
      return false;
    }
    if (o instanceof CommandOutcome.Rejected r) {
      rejections.incrementAndGet();
      LOG.warn(
          "oracle feeder: {} rejected {}: {}",
          c.getClass().getSimpleName(),
          r.reason(),
          r.message());
      return false;
    }
    return true;
  }

  /**
   * The last accepted oracle price of a market in order-price units (rounded down).
   *
   * @param market the market
   * @return the price, 0 if none yet
   */
  long price(int market) {
    return market >= 0 && market < accepted.length() ? accepted.get(market) >>> 32 : 0;
  }

  /**
   * Signed batches accepted since start.
   *
   * @return the count
   */
  long acceptedBatches() {
    return batches.get();
  }

  /**
   * Commands rejected or not answered since start.
   *
   * @return the count
   */
  long rejectedCommands() {
    return rejections.get();
  }

  /**
   * Starts the feeder thread ({@code devnet-oracle-feeder}).
   *
   * @param intervalMillis the period
   */
  synchronized void start(long intervalMillis) {
    loop.start(intervalMillis, false);
  }

  /** Stops the thread and waits for it (at most 15 s). Controlling thread; idempotent. */
  @Override
  public synchronized void close() {
    loop.close();
  }
}
