package io.zkperp.sequencer.risk.oracle;

import static io.zkperp.sequencer.risk.oracle.OracleFixtures.MARKET;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class OracleMedianPropertyTest {
  static final long NOW = 1_800_000_000L;
  static final List<EdDsaPrivateKey> KEYS = OracleFixtures.keys(7);

  /** The lower median of any non-empty set is one of its values, within [min, max]. */
  @Property(tries = 1000)
  void lowerMedianIsASignedValueWithinMinMax(
      @ForAll @IntRange(min = 1, max = 31) int n, @ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<PriceReport> reports = new ArrayList<>();
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long p = 1 + (rnd.nextLong() >>> 1) % (rnd.nextBoolean() ? 1000 : Long.MAX_VALUE);
      values.add(p);
      reports.add(new PriceReport(MARKET, p, NOW, i, new byte[64]));
    }
    long median = OracleAggregator.lowerMedian(reports);
    assertThat(values).contains(median);
    assertThat(median).isBetween(Collections.min(values), Collections.max(values));
    // at least ⌈n/2⌉ values ≤ median and at least ⌊n/2⌋ + 1 values ≥ median: the counting rule
    // a circuit can check
    assertThat(values.stream().filter(v -> v <= median).count())
        .isGreaterThanOrEqualTo((n + 1) / 2);
    assertThat(values.stream().filter(v -> v >= median).count()).isGreaterThanOrEqualTo(n / 2 + 1);
  }

  /**
   * Three signers, quorum 3, one of them malicious (any index, any positive price): the accepted
   * price is always within [min, max] of the two honest prices, whatever the order of the reports.
   */
  @Property(tries = 60)
  void oneMaliciousSignerOfThreeCannotLeaveTheHonestRange(
      @ForAll @IntRange(min = 0, max = 2) int malicious,
      @ForAll @LongRange(min = 1, max = 1L << 50) long honestA,
      @ForAll @LongRange(min = 1, max = 1L << 50) long honestB,
      @ForAll boolean high,
      @ForAll long seed) {
    OracleConfig cfg =
        OracleConfig.of(
            MARKET,
            new OracleConfig.MarketOracle(
                OracleFixtures.publicKeys(KEYS.subList(0, 3)), 3, 60, 0, 1_000_000));
    long attack = high ? Long.MAX_VALUE : 1;
    List<PriceReport> batch = new ArrayList<>();
    long[] honest = {honestA, honestB};
    int h = 0;
    for (int i = 0; i < 3; i++) {
      long p = i == malicious ? attack : honest[h++];
      batch.add(PriceReportSigning.sign(MessageDomain.DEMO, KEYS.get(i), i, MARKET, p, NOW));
    }
    Collections.shuffle(batch, new Random(seed));
    OracleResult r =
        new OracleAggregator(cfg).aggregate(MARKET, batch, NOW, null, MessageDomain.DEMO);
    assertThat(r).isInstanceOf(OracleResult.Accepted.class);
    long price = ((OracleResult.Accepted) r).price();
    assertThat(price).isBetween(Math.min(honestA, honestB), Math.max(honestA, honestB));
  }

  /**
   * Generalisation: with n = 2f + 1 reports of which f are dishonest (any values), the accepted
   * price stays within the honest range (checked on the median rule alone, without signatures).
   */
  @Property(tries = 500)
  void fewerThanHalfDishonestStayInHonestRange(
      @ForAll @IntRange(min = 0, max = 10) int f, @ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = 2 * f + 1 + rnd.nextInt(2); // odd or even count, dishonest still < n/2
    List<PriceReport> reports = new ArrayList<>();
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long p;
      if (i < f) {
        p = rnd.nextBoolean() ? 1 : Long.MAX_VALUE - rnd.nextInt(1000);
      } else {
        p = 1_000_000 + rnd.nextInt(1000);
        lo = Math.min(lo, p);
        hi = Math.max(hi, p);
      }
      reports.add(new PriceReport(MARKET, p, NOW, i, new byte[64]));
    }
    Collections.shuffle(reports, new Random(seed));
    assertThat(OracleAggregator.lowerMedian(reports)).isBetween(lo, hi);
  }
}
