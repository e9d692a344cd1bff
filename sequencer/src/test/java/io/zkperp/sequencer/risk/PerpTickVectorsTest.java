package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.risk.VectorJson.num;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.risk.funding.BookDepthView;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.funding.FundingError;
import io.zkperp.sequencer.risk.funding.FundingTickCalculator;
import io.zkperp.sequencer.risk.funding.PremiumSampler;
import io.zkperp.sequencer.risk.funding.SampleResult;
import io.zkperp.sequencer.risk.funding.TickResult;
import io.zkperp.sequencer.risk.oracle.OracleAggregator;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.sequencer.risk.oracle.OracleRejection;
import io.zkperp.sequencer.risk.oracle.OracleResult;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Engine ↔ circuit agreement on the oracle price tick and the funding tick: {@code
 * test-vectors/perp-tick-rules.json} is written by the Go reference the tick gadgets are tested
 * against (prover-bridge/native/perp/reference/ticks.go). The engine's own code must accept exactly
 * the ticks the reference accepts, report the same rejection, and produce the same price and
 * timestamp (oracle) or index (funding):
 *
 * <ul>
 *   <li>oracle: {@link OracleAggregator#aggregate} with signatures verified, the market's signer
 *       list = the file's signers in order, the previous price as its last accepted result;
 *   <li>funding: {@link PremiumSampler#tick} for the interval (its period started by one sample at
 *       the market's funding timestamp, tick interval = the minimum interval), then {@link
 *       FundingTickCalculator#checkTick}, then the index update of {@code FundingState.apply}
 *       ({@code Math.addExact}; that method is private to the engine's core-thread state).
 * </ul>
 */
class PerpTickVectorsTest {
  private static final Map<String, Object> FILE =
      VectorJson.map(VectorJson.load("perp-tick-rules.json"));
  private static final int FUNDING_MARKET = 3;
  private static final BookDepthView EMPTY_BOOK = (bids, visitor) -> {};

  @Test
  void oracleAggregatorAgreesWithTheReferenceOnEveryTick() {
    List<EdDsaPublicKey> signers = new ArrayList<>();
    for (Object o : VectorJson.list(FILE.get("signers"))) {
      signers.add(EdDsaPublicKey.decode(hex((String) VectorJson.map(o).get("publicKey"))));
    }
    List<MessageDomain> domains = new ArrayList<>();
    for (Object o : VectorJson.list(FILE.get("domains"))) {
      Map<String, Object> d = VectorJson.map(o);
      domains.add(
          MessageDomain.of(
              Long.parseUnsignedLong((String) d.get("chainId")),
              L1Address.of(hex((String) d.get("rollup")))));
    }
    Tally tally = new Tally();
    List<Object> cases = VectorJson.list(FILE.get("oracleTicks"));
    for (Object o : cases) {
      Map<String, Object> c = VectorJson.map(o);
      int market = ((Long) c.get("market")).intValue();
      OracleConfig.MarketOracle config =
          new OracleConfig.MarketOracle(
              signers,
              ((Long) c.get("quorum")).intValue(),
              num(c, "maxAgeSeconds"),
              num(c, "maxFutureSeconds"),
              num(c, "maxMovePpm"));
      OracleAggregator aggregator = new OracleAggregator(OracleConfig.of(market, config));
      List<PriceReport> reports = new ArrayList<>();
      for (Object ro : VectorJson.list(c.get("reports"))) {
        Map<String, Object> r = VectorJson.map(ro);
        reports.add(
            new PriceReport(
                ((Long) r.get("market")).intValue(),
                num(r, "price"),
                num(r, "timestamp"),
                ((Long) r.get("signer")).intValue(),
                hex((String) r.get("signature"))));
      }
      long previousPrice = num(c, "previousPrice");
      OracleResult.Accepted previous =
          previousPrice == 0
              ? null
              : new OracleResult.Accepted(market, previousPrice, num(c, "previousTimestamp"), 1);
      OracleResult result =
          aggregator.aggregate(
              market,
              reports,
              num(c, "now"),
              previous,
              domains.get(((Long) c.get("domain")).intValue()));
      String got =
          switch (result) {
            case OracleResult.Accepted a -> "accepted " + a.price() + " at " + a.timestamp();
            case OracleResult.Rejected r -> r.reason().name();
          };
      boolean ok = (Boolean) c.get("accepted");
      String want =
          ok
              ? "accepted " + c.get("price") + " at " + c.get("timestamp")
              : (String) c.get("reason");
      tally.compare(c.get("name"), got, want, ok);
    }
    assertThat(tally.mismatches).as("OracleAggregator disagrees with the Go reference").isEmpty();
    assertThat(cases).hasSizeGreaterThan(100);
    assertThat(tally.accepted).isGreaterThan(30);
    // every rejection a tick can meet (a configured market) occurs in the file
    for (OracleRejection r : OracleRejection.values()) {
      if (r != OracleRejection.MARKET_NOT_CONFIGURED) {
        assertThat(tally.reasons).as("cases rejected %s", r).contains(r.name());
      }
    }
  }

  @Test
  void fundingRulesAgreeWithTheReferenceOnEveryTick() {
    Tally tally = new Tally();
    List<Object> cases = VectorJson.list(FILE.get("fundingTicks"));
    for (Object o : cases) {
      Map<String, Object> c = VectorJson.map(o);
      String got =
          engineFundingTick(
              num(c, "price"),
              num(c, "indexBefore"),
              num(c, "timestampBefore"),
              num(c, "minIntervalSeconds"),
              num(c, "maxRatePpm"),
              num(c, "now"),
              num(c, "indexDelta"));
      boolean ok = (Boolean) c.get("accepted");
      String want = ok ? "accepted " + c.get("indexAfter") : (String) c.get("reason");
      tally.compare(c.get("name"), got, want, ok);
    }
    assertThat(tally.mismatches)
        .as("the engine's funding rules disagree with the Go reference")
        .isEmpty();
    assertThat(cases).hasSizeGreaterThan(300);
    assertThat(tally.accepted).isGreaterThan(50);
    assertThat(tally.reasons)
        .contains(
            "TOO_EARLY",
            "NON_POSITIVE_PRICE",
            "OUT_OF_RANGE",
            "RATE_BOUND_EXCEEDED",
            "INDEX_OVERFLOW");
  }

  /**
   * The engine's verdict on a funding tick of {@code indexDelta} at {@code now} for a market whose
   * funding period started at {@code before}: "accepted" with the new index, or the reason.
   */
  private static String engineFundingTick(
      long price,
      long index,
      long before,
      long minInterval,
      long maxRatePpm,
      long now,
      long indexDelta) {
    // the sampler decides when a tick is due; its own derived delta (rate clamp 0) is not used
    FundingConfig.MarketFunding params =
        new FundingConfig.MarketFunding(
            new MarketRisk(50_000, 30_000, 1_000, 1_000, 0, 1_000_000, 1_000_000),
            1,
            0,
            0,
            0,
            Math.max(0, Math.min(maxRatePpm, FundingTickCalculator.MAX_RATE_PPM)));
    PremiumSampler sampler =
        new PremiumSampler(new FundingConfig(1, minInterval, Map.of(FUNDING_MARKET, params)));
    SampleResult started = sampler.sample(FUNDING_MARKET, EMPTY_BOOK, Math.max(price, 1), before);
    assertThat(started).isInstanceOf(SampleResult.Sampled.class);
    assertThat(sampler.periodStart(FUNDING_MARKET)).isEqualTo(before);
    switch (sampler.tick(FUNDING_MARKET, price, now)) {
      case TickResult.NotDue notDue -> {
        return "TOO_EARLY";
      }
      case FundingError e -> {
        return e.reason().name();
      }
      case TickResult.Due due -> {}
    }
    FundingError e = FundingTickCalculator.checkTick(indexDelta, price, now - before, maxRatePpm);
    if (e != null) {
      return e.reason().name();
    }
    try {
      return "accepted " + Math.addExact(index, indexDelta);
    } catch (ArithmeticException overflow) {
      return "INDEX_OVERFLOW";
    }
  }

  // --- the vector file ------------------------------------------------------------------------

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.startsWith("0x") ? s.substring(2) : s);
  }

  /** The engine's answers against the reference's, over one file section. */
  private static final class Tally {
    final List<String> mismatches = new ArrayList<>();
    final TreeSet<String> reasons = new TreeSet<>();
    int accepted;

    void compare(Object name, String got, String want, boolean ok) {
      if (!got.equals(want)) {
        mismatches.add(name + ": engine " + got + ", reference " + want);
      }
      if (ok) {
        accepted++;
      } else {
        reasons.add(want);
      }
    }
  }
}
