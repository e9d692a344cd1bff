package io.zkperp.sequencer.risk.oracle;

import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.risk.RiskMath;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Validates a batch of signed price reports for one market and aggregates it into one price
 * (StarkEx {@code oracle/oracle_price.cairo}: each price signed over (asset, price, timestamp), a
 * quorum of distinct signers, the median of the signed values, timestamps within a validity
 * window). Pure: the result depends only on the configuration and the arguments; {@code now} is the
 * core's journaled time, never the wall clock. Immutable; any thread.
 *
 * <p>The checks, in this order (the first failure is reported; a batch is accepted whole or not at
 * all, so the collector must drop bad reports before it submits a batch):
 *
 * <ol>
 *   <li>the market has a configuration ({@link OracleRejection#MARKET_NOT_CONFIGURED});
 *   <li>for each report in list order: its market is the batch's ({@link
 *       OracleRejection#MARKET_MISMATCH}), its signer index is in the signer list ({@link
 *       OracleRejection#UNKNOWN_SIGNER}) and not used by an earlier report ({@link
 *       OracleRejection#DUPLICATE_SIGNER}), its price is &gt; 0 ({@link
 *       OracleRejection#NON_POSITIVE_PRICE}), {@code now − maxAge ≤ timestamp} ({@link
 *       OracleRejection#STALE}) and {@code timestamp ≤ now + maxFuture} ({@link
 *       OracleRejection#FUTURE_TIMESTAMP});
 *   <li>at least {@code quorum} reports ({@link OracleRejection#QUORUM_NOT_MET});
 *   <li>the oldest report timestamp is after the previous accepted price's ({@link
 *       OracleRejection#NOT_NEWER}), so an old batch cannot be replayed to roll the price back;
 *   <li>every signature verifies, in list order ({@link OracleRejection#BAD_SIGNATURE}) — last,
 *       because it is the expensive check (≈ 250 µs per report);
 *   <li>the price is the <em>lower median</em> of the n reported prices: the element of rank {@code
 *       ⌊(n − 1) / 2⌋} (0-based) in ascending order. For odd n it is the median; for even n the
 *       lower of the two middle values. No averaging, so no rounding: the accepted price is always
 *       a value some configured signer signed, and the circuit can check it by counting (at least
 *       ⌈n/2⌉ reports ≤ price and at least ⌊n/2⌋ + 1 reports ≥ price). It lies in the honest range
 *       whenever fewer than n/2 reports are dishonest;
 *   <li>if there is a previous price p₀: {@code |price − p₀| ≤ floor(p₀ · maxMovePpm / 10^6)}
 *       ({@link OracleRejection#MOVE_TOO_LARGE}; equivalently, as the circuit checks it without
 *       division, {@code |price − p₀| · 10^6 ≤ p₀ · maxMovePpm}).
 * </ol>
 */
public final class OracleAggregator {
  private final OracleConfig config;

  /**
   * Creates an aggregator.
   *
   * @param config the oracle configuration
   */
  public OracleAggregator(OracleConfig config) {
    this.config = config;
  }

  /**
   * The configuration.
   *
   * @return it
   */
  public OracleConfig config() {
    return config;
  }

  /**
   * Validates and aggregates a batch. Any thread.
   *
   * @param market the market the batch is for
   * @param reports the reports, in the order they were submitted (the order only decides which
   *     failure is reported first; the price does not depend on it)
   * @param now the core's current (journaled) time, seconds since the Unix epoch
   * @param previous the market's previously accepted price, or null for its first price
   * @param domain the deployment the reports must be signed for
   * @return the accepted price or the rejection
   */
  public OracleResult aggregate(
      int market,
      List<PriceReport> reports,
      long now,
      OracleResult.Accepted previous,
      MessageDomain domain) {
    return check(market, reports, now, previous, Objects.requireNonNull(domain, "domain"));
  }

  /**
   * {@link #aggregate} without step 5 (signatures): for the core thread when the intake threads
   * have already run {@link #verifySignatures} on the same batch against the same configuration (as
   * they verify order signatures today), and for a journal replay of batches that were verified
   * before they were journaled. Every other check, and the result, are identical. Any thread.
   *
   * @param market the market the batch is for
   * @param reports the reports, signatures already verified
   * @param now the core's current (journaled) time, seconds
   * @param previous the market's previously accepted price, or null
   * @return the accepted price or the rejection
   */
  public OracleResult aggregatePreverified(
      int market, List<PriceReport> reports, long now, OracleResult.Accepted previous) {
    return check(market, reports, now, previous, null);
  }

  /**
   * Step 5 alone, for the intake threads: every report whose market is configured and whose signer
   * index is valid must carry a valid signature. Reports that fail those earlier checks are left to
   * {@link #aggregatePreverified}, which rejects them; so is a batch with more reports than the
   * market has signers (it must repeat a signer), so the work is bounded by the signer count. Any
   * thread (one signature check per report: about 80 µs with the native verifier and the signer's
   * table, 250–500 µs in Java).
   *
   * @param market the market the batch is for
   * @param reports the reports
   * @param verifier checks each signature (the intake's verifier)
   * @param domain the deployment the reports must be signed for
   * @return null if no signature fails, otherwise the {@link OracleRejection#BAD_SIGNATURE}
   *     rejection of the first failing report
   */
  public OracleResult.Rejected verifySignatures(
      int market, List<PriceReport> reports, SignatureVerifier verifier, MessageDomain domain) {
    OracleConfig.MarketOracle m = config.market(market);
    if (m == null || reports.size() > m.signers().size()) {
      return null; // rejected by the core's checks without any signature work
    }
    for (int i = 0; i < reports.size(); i++) {
      PriceReport r = reports.get(i);
      if (r.signer() < 0 || r.signer() >= m.signers().size()) {
        continue;
      }
      if (!PriceReportSigning.verify(verifier, domain, m.signers().get(r.signer()), r)) {
        return badSignature(i, r);
      }
    }
    return null;
  }

  private OracleResult check(
      int market,
      List<PriceReport> reports,
      long now,
      OracleResult.Accepted previous,
      MessageDomain checkSignaturesIn) {
    OracleConfig.MarketOracle m = config.market(market);
    if (m == null) {
      return reject(
          OracleRejection.MARKET_NOT_CONFIGURED,
          "market %d has no oracle configuration; configured markets: %s",
          market,
          config.markets().keySet());
    }
    int signerCount = m.signers().size();
    boolean[] seen = new boolean[signerCount];
    long oldest = Long.MAX_VALUE;
    long earliestFresh = saturatedAdd(now, -m.maxAgeSeconds());
    long latestFresh = saturatedAdd(now, m.maxFutureSeconds());
    for (int i = 0; i < reports.size(); i++) {
      PriceReport r = reports.get(i);
      if (r.market() != market) {
        return reject(
            OracleRejection.MARKET_MISMATCH,
            "report %d is for market %d, the batch is for market %d",
            i,
            r.market(),
            market);
      }
      if (r.signer() < 0 || r.signer() >= signerCount) {
        return reject(
            OracleRejection.UNKNOWN_SIGNER,
            "report %d names signer %d; market %d has signers 0 to %d",
            i,
            r.signer(),
            market,
            signerCount - 1);
      }
      if (seen[r.signer()]) {
        return reject(
            OracleRejection.DUPLICATE_SIGNER,
            "report %d repeats signer %d; each signer counts once per batch",
            i,
            r.signer());
      }
      seen[r.signer()] = true;
      if (r.price() <= 0) {
        return reject(
            OracleRejection.NON_POSITIVE_PRICE,
            "report %d (signer %d) has price %d; prices must be > 0",
            i,
            r.signer(),
            r.price());
      }
      if (r.timestamp() < earliestFresh) {
        return reject(
            OracleRejection.STALE,
            "report %d (signer %d) has timestamp %d, older than %d s before now %d; use ≥ %d",
            i,
            r.signer(),
            r.timestamp(),
            m.maxAgeSeconds(),
            now,
            earliestFresh);
      }
      if (r.timestamp() > latestFresh) {
        return reject(
            OracleRejection.FUTURE_TIMESTAMP,
            "report %d (signer %d) has timestamp %d, more than %d s after now %d; use ≤ %d",
            i,
            r.signer(),
            r.timestamp(),
            m.maxFutureSeconds(),
            now,
            latestFresh);
      }
      oldest = Math.min(oldest, r.timestamp());
    }
    if (reports.size() < m.quorum()) {
      return reject(
          OracleRejection.QUORUM_NOT_MET,
          "%d report(s) from distinct signers; market %d needs a quorum of %d of its %d signers",
          reports.size(),
          market,
          m.quorum(),
          signerCount);
    }
    if (previous != null && oldest <= previous.timestamp()) {
      return reject(
          OracleRejection.NOT_NEWER,
          "the batch's oldest report timestamp %d is not after the current price's %d; every"
              + " report must be > %d",
          oldest,
          previous.timestamp(),
          previous.timestamp());
    }
    for (int i = 0; checkSignaturesIn != null && i < reports.size(); i++) {
      PriceReport r = reports.get(i);
      if (!PriceReportSigning.verify(checkSignaturesIn, m.signers().get(r.signer()), r)) {
        return badSignature(i, r);
      }
    }
    long price = lowerMedian(reports);
    if (previous != null) {
      long p0 = previous.price();
      long bound = RiskMath.mulPpmDown(p0, m.maxMovePpm());
      long move = price - p0; // both > 0: no overflow
      if (move > bound || -move > bound) {
        return reject(
            OracleRejection.MOVE_TOO_LARGE,
            "median %d moves %d from the current price %d; the bound is %d (%d ppm); accepted"
                + " prices are %d to %d",
            price,
            move,
            p0,
            bound,
            m.maxMovePpm(),
            p0 - bound,
            saturatedAdd(p0, bound));
      }
    }
    return new OracleResult.Accepted(market, price, oldest, reports.size());
  }

  /**
   * The lower median of the reports' prices: rank ⌊(n − 1) / 2⌋ in ascending order.
   *
   * @param reports at least one report
   * @return the price
   */
  static long lowerMedian(List<PriceReport> reports) {
    long[] prices = new long[reports.size()];
    for (int i = 0; i < prices.length; i++) {
      prices[i] = reports.get(i).price();
    }
    Arrays.sort(prices);
    return prices[(prices.length - 1) / 2];
  }

  private static OracleResult.Rejected badSignature(int i, PriceReport r) {
    return reject(
        OracleRejection.BAD_SIGNATURE,
        "report %d: the signature does not verify for signer %d over (market %d, price %d,"
            + " timestamp %d)",
        i,
        r.signer(),
        r.market(),
        r.price(),
        r.timestamp());
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }

  private static OracleResult.Rejected reject(
      OracleRejection reason, String format, Object... args) {
    return new OracleResult.Rejected(reason, String.format(format, args));
  }
}
