package io.zkperp.sequencer.risk.oracle;

import static io.zkperp.sequencer.risk.oracle.OracleFixtures.MARKET;
import static io.zkperp.sequencer.risk.oracle.OracleFixtures.px;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OraclePriceMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OracleAggregatorTest {
  private static final SignatureVerifier VERIFIER = new JavaSignatureVerifier(4);

  static final long NOW = 1_700_000_000L;
  static final List<EdDsaPrivateKey> KEYS = OracleFixtures.keys(5);

  /** 5 signers, quorum 3, 30 s old at most, 5 s in the future at most, 5% per update. */
  static final OracleConfig.MarketOracle FIVE =
      new OracleConfig.MarketOracle(OracleFixtures.publicKeys(KEYS), 3, 30, 5, 50_000);

  final OracleAggregator aggregator = new OracleAggregator(OracleConfig.of(MARKET, FIVE));

  static PriceReport report(int signer, long price, long timestamp) {
    return PriceReportSigning.sign(
        MessageDomain.DEMO, KEYS.get(signer), signer, MARKET, price, timestamp);
  }

  static OracleResult.Accepted previous(long price, long timestamp) {
    return new OracleResult.Accepted(MARKET, price, timestamp, 3);
  }

  private OracleResult.Rejected rejected(OracleResult r, OracleRejection reason) {
    assertThat(r).isInstanceOf(OracleResult.Rejected.class);
    OracleResult.Rejected rej = (OracleResult.Rejected) r;
    assertThat(rej.reason()).isEqualTo(reason);
    return rej;
  }

  // ------------------------------------------------------------ message

  @Test
  void reportIsSignedAsTheProtocolOracleMessageInTheDomain() {
    PriceReport r = report(0, px(1000) + 5, NOW);
    assertThat(PriceReportSigning.message(r))
        .isEqualTo(new OraclePriceMessage(MARKET, px(1000) + 5, NOW));
    // the signature is over the protocol's message hash in the demo domain, and no other domain
    assertThat(
            EdDsa.verify(
                KEYS.get(0).publicKey(),
                r.signature(),
                new OraclePriceMessage(MARKET, px(1000) + 5, NOW).hash(MessageDomain.DEMO)))
        .isTrue();
    MessageDomain other = MessageDomain.of(1, MessageDomain.DEMO_ROLLUP_ADDRESS);
    assertThat(PriceReportSigning.verify(other, KEYS.get(0).publicKey(), r)).isFalse();
    assertThat(PriceReportSigning.verify(MessageDomain.DEMO, KEYS.get(0).publicKey(), r)).isTrue();
  }

  @Test
  void signedReportVerifiesOnlyUnderItsKeyAndFields() {
    PriceReport r = report(0, px(1000), NOW);
    assertThat(PriceReportSigning.verify(MessageDomain.DEMO, KEYS.get(0).publicKey(), r)).isTrue();
    assertThat(PriceReportSigning.verify(MessageDomain.DEMO, KEYS.get(1).publicKey(), r)).isFalse();
    PriceReport tampered =
        new PriceReport(MARKET, px(1000) + 1, NOW, 0, r.signature()); // price changed
    assertThat(PriceReportSigning.verify(MessageDomain.DEMO, KEYS.get(0).publicKey(), tampered))
        .isFalse();
    PriceReport shortSig = new PriceReport(MARKET, px(1000), NOW, 0, new byte[63]);
    assertThat(PriceReportSigning.verify(MessageDomain.DEMO, KEYS.get(0).publicKey(), shortSig))
        .isFalse();
  }

  @Test
  void reportCopiesItsSignature() {
    byte[] sig = report(0, px(1000), NOW).signature();
    PriceReport r = new PriceReport(MARKET, px(1000), NOW, 0, sig);
    sig[0] ^= 1;
    assertThat(r.signature()).isNotEqualTo(sig);
    r.signature()[1] ^= 1;
    assertThat(PriceReportSigning.verify(MessageDomain.DEMO, KEYS.get(0).publicKey(), r)).isTrue();
    assertThat(r).isEqualTo(new PriceReport(MARKET, px(1000), NOW, 0, r.signature()));
  }

  // ------------------------------------------------------------ worked examples

  @Test
  void medianOfFiveWithOneOutlier() {
    // prices 101, 5000 (outlier), 100, 103, 102 → sorted 100, 101, 102, 103, 5000;
    // n = 5, rank ⌊(5 − 1) / 2⌋ = 2 → 102. Timestamps NOW−4 … NOW: the oldest, NOW−4, is the
    // accepted price's timestamp.
    List<PriceReport> batch =
        List.of(
            report(0, px(101), NOW - 1),
            report(1, px(5000), NOW),
            report(2, px(100), NOW - 4),
            report(3, px(103), NOW - 2),
            report(4, px(102), NOW - 3));
    OracleResult r = aggregator.aggregate(MARKET, batch, NOW, null, MessageDomain.DEMO);
    assertThat(r).isEqualTo(new OracleResult.Accepted(MARKET, px(102), NOW - 4, 5));
  }

  @Test
  void evenCountTakesTheLowerMedian() {
    // 100.5, 106, 102, 104 → sorted 100.5, 102, 104, 106; rank ⌊3 / 2⌋ = 1 → 102
    // (not the mean 103 of the two middle values)
    List<PriceReport> batch =
        List.of(
            report(0, px(100) + (1L << 31), NOW),
            report(1, px(106), NOW),
            report(2, px(102), NOW),
            report(3, px(104), NOW));
    OracleResult r = aggregator.aggregate(MARKET, batch, NOW, null, MessageDomain.DEMO);
    assertThat(r).isEqualTo(new OracleResult.Accepted(MARKET, px(102), NOW, 4));
  }

  @Test
  void resultDoesNotDependOnReportOrderAndIsRepeatable() {
    List<PriceReport> batch =
        new ArrayList<>(
            List.of(
                report(3, px(97), NOW - 2),
                report(0, px(99), NOW),
                report(4, px(96), NOW - 1),
                report(1, px(98), NOW)));
    // sorted 96, 97, 98, 99 → lower median 97, oldest timestamp NOW − 2
    OracleResult expected = new OracleResult.Accepted(MARKET, px(97), NOW - 2, 4);
    for (int rotation = 0; rotation < batch.size(); rotation++) {
      java.util.Collections.rotate(batch, 1);
      assertThat(aggregator.aggregate(MARKET, batch, NOW, null, MessageDomain.DEMO))
          .isEqualTo(expected);
      assertThat(aggregator.aggregate(MARKET, List.copyOf(batch), NOW, null, MessageDomain.DEMO))
          .isEqualTo(expected);
    }
  }

  @Test
  void moveBoundIsInclusive() {
    // previous 1000, 5% → bound floor(1000·2^32 · 50,000 / 10^6) = 50·2^32: 1050 and 950 pass,
    // one 2^-32 more fails
    OracleResult.Accepted prev = previous(px(1000), NOW - 10);
    assertThat(aggregator.aggregate(MARKET, quorumAt(px(1050)), NOW, prev, MessageDomain.DEMO))
        .isEqualTo(new OracleResult.Accepted(MARKET, px(1050), NOW, 3));
    assertThat(aggregator.aggregate(MARKET, quorumAt(px(950)), NOW, prev, MessageDomain.DEMO))
        .isEqualTo(new OracleResult.Accepted(MARKET, px(950), NOW, 3));
    OracleResult.Rejected up =
        rejected(
            aggregator.aggregate(MARKET, quorumAt(px(1050) + 1), NOW, prev, MessageDomain.DEMO),
            OracleRejection.MOVE_TOO_LARGE);
    assertThat(up.message()).contains("bound is " + px(50)).contains("50000 ppm");
    rejected(
        aggregator.aggregate(MARKET, quorumAt(px(950) - 1), NOW, prev, MessageDomain.DEMO),
        OracleRejection.MOVE_TOO_LARGE);
    // the bound rounds down: previous 3 (in 2^-32 units) at 5% → floor(0.15) = 0, no move allowed
    OracleResult.Accepted tiny = previous(3, NOW - 10);
    rejected(
        aggregator.aggregate(MARKET, quorumAt(4), NOW, tiny, MessageDomain.DEMO),
        OracleRejection.MOVE_TOO_LARGE);
    assertThat(aggregator.aggregate(MARKET, quorumAt(3), NOW, tiny, MessageDomain.DEMO))
        .isInstanceOf(OracleResult.Accepted.class);
  }

  @Test
  void firstPriceHasNoMoveBound() {
    assertThat(aggregator.aggregate(MARKET, quorumAt(px(1_000_000)), NOW, null, MessageDomain.DEMO))
        .isEqualTo(new OracleResult.Accepted(MARKET, px(1_000_000), NOW, 3));
  }

  private static List<PriceReport> quorumAt(long price) {
    return List.of(report(0, price, NOW), report(1, price, NOW), report(2, price, NOW));
  }

  // ------------------------------------------------------------ rejections

  @Test
  void unconfiguredMarket() {
    OracleResult.Rejected r =
        rejected(
            aggregator.aggregate(MARKET + 1, quorumAt(px(1)), NOW, null, MessageDomain.DEMO),
            OracleRejection.MARKET_NOT_CONFIGURED);
    assertThat(r.message()).contains("market 8");
  }

  @Test
  void marketMismatch() {
    List<PriceReport> batch =
        List.of(
            report(0, px(100), NOW),
            PriceReportSigning.sign(MessageDomain.DEMO, KEYS.get(1), 1, MARKET + 1, px(100), NOW),
            report(2, px(100), NOW));
    OracleResult.Rejected r =
        rejected(
            aggregator.aggregate(MARKET, batch, NOW, null, MessageDomain.DEMO),
            OracleRejection.MARKET_MISMATCH);
    assertThat(r.message()).isEqualTo("report 1 is for market 8, the batch is for market 7");
  }

  @Test
  void unknownSigner() {
    for (int bad : new int[] {5, -1, Integer.MAX_VALUE}) {
      List<PriceReport> batch =
          List.of(
              report(0, px(100), NOW),
              report(1, px(100), NOW),
              PriceReportSigning.sign(MessageDomain.DEMO, KEYS.get(2), bad, MARKET, px(100), NOW));
      OracleResult.Rejected r =
          rejected(
              aggregator.aggregate(MARKET, batch, NOW, null, MessageDomain.DEMO),
              OracleRejection.UNKNOWN_SIGNER);
      assertThat(r.message()).contains("signer " + bad).contains("signers 0 to 4");
    }
  }

  @Test
  void duplicateSignerCountsOnceAndIsRejected() {
    // signer 1 twice (two different prices, both validly signed) + signer 0 = 3 reports but only
    // 2 distinct signers: rejected, not counted towards the quorum of 3
    List<PriceReport> batch =
        List.of(report(1, px(100), NOW), report(0, px(100), NOW), report(1, px(101), NOW));
    OracleResult.Rejected r =
        rejected(
            aggregator.aggregate(MARKET, batch, NOW, null, MessageDomain.DEMO),
            OracleRejection.DUPLICATE_SIGNER);
    assertThat(r.message()).startsWith("report 2 repeats signer 1");
  }

  @Test
  void nonPositivePrice() {
    for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
      List<PriceReport> batch =
          List.of(report(0, px(100), NOW), report(1, bad, NOW), report(2, px(100), NOW));
      rejected(
          aggregator.aggregate(MARKET, batch, NOW, null, MessageDomain.DEMO),
          OracleRejection.NON_POSITIVE_PRICE);
    }
  }

  @Test
  void staleBoundaryIsInclusive() {
    // maxAge 30: NOW − 30 is fresh, NOW − 31 is stale
    List<PriceReport> fresh =
        List.of(report(0, px(100), NOW - 30), report(1, px(100), NOW), report(2, px(100), NOW));
    assertThat(aggregator.aggregate(MARKET, fresh, NOW, null, MessageDomain.DEMO))
        .isEqualTo(new OracleResult.Accepted(MARKET, px(100), NOW - 30, 3));
    List<PriceReport> stale =
        List.of(report(0, px(100), NOW), report(1, px(100), NOW - 31), report(2, px(100), NOW));
    OracleResult.Rejected r =
        rejected(
            aggregator.aggregate(MARKET, stale, NOW, null, MessageDomain.DEMO),
            OracleRejection.STALE);
    assertThat(r.message()).contains("use ≥ " + (NOW - 30));
  }

  @Test
  void futureBoundaryIsInclusive() {
    // maxFuture 5: NOW + 5 passes, NOW + 6 fails
    List<PriceReport> ok =
        List.of(report(0, px(100), NOW + 5), report(1, px(100), NOW), report(2, px(100), NOW));
    assertThat(aggregator.aggregate(MARKET, ok, NOW, null, MessageDomain.DEMO))
        .isInstanceOf(OracleResult.Accepted.class);
    List<PriceReport> future =
        List.of(report(0, px(100), NOW), report(1, px(100), NOW + 6), report(2, px(100), NOW));
    OracleResult.Rejected r =
        rejected(
            aggregator.aggregate(MARKET, future, NOW, null, MessageDomain.DEMO),
            OracleRejection.FUTURE_TIMESTAMP);
    assertThat(r.message()).contains("use ≤ " + (NOW + 5));
  }

  @Test
  void quorumNotMet() {
    List<PriceReport> two = List.of(report(0, px(100), NOW), report(4, px(100), NOW));
    OracleResult.Rejected r =
        rejected(
            aggregator.aggregate(MARKET, two, NOW, null, MessageDomain.DEMO),
            OracleRejection.QUORUM_NOT_MET);
    assertThat(r.message()).startsWith("2 report(s)").contains("quorum of 3 of its 5 signers");
    rejected(
        aggregator.aggregate(MARKET, List.of(), NOW, null, MessageDomain.DEMO),
        OracleRejection.QUORUM_NOT_MET);
  }

  @Test
  void notNewerThanThePreviousPrice() {
    // previous accepted at NOW − 3; a batch whose oldest report is NOW − 3 is a replay candidate
    OracleResult.Accepted prev = previous(px(100), NOW - 3);
    List<PriceReport> same =
        List.of(report(0, px(100), NOW), report(1, px(100), NOW - 3), report(2, px(100), NOW));
    rejected(
        aggregator.aggregate(MARKET, same, NOW, prev, MessageDomain.DEMO),
        OracleRejection.NOT_NEWER);
    List<PriceReport> newer =
        List.of(report(0, px(100), NOW), report(1, px(100), NOW - 2), report(2, px(100), NOW));
    assertThat(aggregator.aggregate(MARKET, newer, NOW, prev, MessageDomain.DEMO))
        .isEqualTo(new OracleResult.Accepted(MARKET, px(100), NOW - 2, 3));
  }

  @Test
  void badSignatures() {
    PriceReport good = report(2, px(100), NOW);
    List<PriceReport> bad =
        List.of(
            // signed for another price
            new PriceReport(MARKET, px(101), NOW, 2, good.signature()),
            // signed for another timestamp
            new PriceReport(MARKET, px(100), NOW - 1, 2, good.signature()),
            // signed by signer 3's key but claims to be signer 2
            PriceReportSigning.sign(MessageDomain.DEMO, KEYS.get(3), 2, MARKET, px(100), NOW),
            // malformed encodings
            new PriceReport(MARKET, px(100), NOW, 2, new byte[64]),
            new PriceReport(MARKET, px(100), NOW, 2, new byte[0]));
    for (PriceReport b : bad) {
      List<PriceReport> batch = List.of(report(0, px(100), NOW), report(1, px(100), NOW), b);
      OracleResult.Rejected r =
          rejected(
              aggregator.aggregate(MARKET, batch, NOW, null, MessageDomain.DEMO),
              OracleRejection.BAD_SIGNATURE);
      assertThat(r.message()).startsWith("report 2:").contains("signer 2");
    }
  }

  @Test
  void preverifiedPathSkipsOnlyTheSignatures() {
    List<PriceReport> good =
        List.of(report(0, px(101), NOW), report(1, px(100), NOW - 1), report(2, px(99), NOW));
    assertThat(aggregator.verifySignatures(MARKET, good, VERIFIER, MessageDomain.DEMO)).isNull();
    assertThat(aggregator.aggregatePreverified(MARKET, good, NOW, null))
        .isEqualTo(aggregator.aggregate(MARKET, good, NOW, null, MessageDomain.DEMO))
        .isEqualTo(new OracleResult.Accepted(MARKET, px(100), NOW - 1, 3));
    // a forged report: the intake check catches it, the preverified core path would not
    PriceReport forged = new PriceReport(MARKET, px(100), NOW, 2, good.get(0).signature());
    List<PriceReport> bad = List.of(good.get(0), good.get(1), forged);
    OracleResult.Rejected r =
        aggregator.verifySignatures(MARKET, bad, VERIFIER, MessageDomain.DEMO);
    assertThat(r.reason()).isEqualTo(OracleRejection.BAD_SIGNATURE);
    assertThat(r.message()).startsWith("report 2:");
    assertThat(aggregator.aggregatePreverified(MARKET, bad, NOW, null))
        .isInstanceOf(OracleResult.Accepted.class);
    // every other check still applies on the preverified path
    List<PriceReport> stale = List.of(good.get(0), good.get(1), report(2, px(99), NOW - 31));
    rejected(aggregator.aggregatePreverified(MARKET, stale, NOW, null), OracleRejection.STALE);
    // reports with an unknown signer are left to the core's checks
    List<PriceReport> unknown =
        List.of(
            good.get(0),
            PriceReportSigning.sign(MessageDomain.DEMO, KEYS.get(1), 9, MARKET, px(100), NOW));
    assertThat(aggregator.verifySignatures(MARKET, unknown, VERIFIER, MessageDomain.DEMO)).isNull();
    rejected(
        aggregator.aggregatePreverified(MARKET, unknown, NOW, null),
        OracleRejection.UNKNOWN_SIGNER);
    assertThat(aggregator.verifySignatures(MARKET + 1, bad, VERIFIER, MessageDomain.DEMO)).isNull();
    // more reports than signers: no signature work, the core rejects the repeated signer
    List<PriceReport> six =
        new ArrayList<>(List.of(forged, forged, forged, forged, forged, forged));
    assertThat(aggregator.verifySignatures(MARKET, six, VERIFIER, MessageDomain.DEMO)).isNull();
    rejected(
        aggregator.aggregatePreverified(MARKET, six, NOW, null), OracleRejection.DUPLICATE_SIGNER);
  }

  @Test
  void firstFailureInListOrderIsReported() {
    // report 0 is stale, report 1 has an unknown signer: the stale one comes first
    List<PriceReport> batch =
        List.of(
            report(0, px(100), NOW - 100),
            PriceReportSigning.sign(MessageDomain.DEMO, KEYS.get(1), 9, MARKET, px(100), NOW),
            report(2, px(100), NOW));
    rejected(
        aggregator.aggregate(MARKET, batch, NOW, null, MessageDomain.DEMO), OracleRejection.STALE);
  }

  // ------------------------------------------------------------ configuration

  @Test
  void configurationIsValidated() {
    var pks = OracleFixtures.publicKeys(KEYS);
    assertThatThrownBy(() -> new OracleConfig.MarketOracle(List.of(), 1, 30, 5, 50_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OracleConfig.MarketOracle(pks, 0, 30, 5, 50_000))
        .hasMessageContaining("quorum");
    assertThatThrownBy(() -> new OracleConfig.MarketOracle(pks, 6, 30, 5, 50_000))
        .hasMessageContaining("quorum");
    assertThatThrownBy(
            () -> new OracleConfig.MarketOracle(List.of(pks.get(0), pks.get(0)), 1, 30, 5, 1))
        .hasMessageContaining("distinct");
    assertThatThrownBy(() -> new OracleConfig.MarketOracle(pks, 3, -1, 5, 50_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OracleConfig.MarketOracle(pks, 3, 30, 5, 0))
        .hasMessageContaining("maxMovePpm");
    assertThatThrownBy(() -> new OracleConfig.MarketOracle(pks, 3, 30, 5, 1_000_001))
        .hasMessageContaining("maxMovePpm");
    assertThatThrownBy(() -> new OracleConfig(Map.of(0x10000, FIVE)))
        .hasMessageContaining("market id");
  }

  // ------------------------------------------------------------ stateful table

  @Test
  void pricesChangeOnlyOnAcceptance() throws IOException {
    OraclePrices prices = new OraclePrices(OracleConfig.of(MARKET, FIVE));
    assertThat(prices.current(MARKET)).isNull();
    assertThat(prices.submit(MARKET, quorumAt(px(1000)), NOW, MessageDomain.DEMO))
        .isInstanceOf(OracleResult.Accepted.class);
    OracleResult.Accepted first = prices.current(MARKET);
    assertThat(first).isEqualTo(new OracleResult.Accepted(MARKET, px(1000), NOW, 3));

    // replay of the same batch: NOT_NEWER, price unchanged
    rejected(
        prices.submit(MARKET, quorumAt(px(1000)), NOW + 1, MessageDomain.DEMO),
        OracleRejection.NOT_NEWER);
    // a 10% jump: MOVE_TOO_LARGE, unchanged
    List<PriceReport> jump =
        List.of(
            report(0, px(1100), NOW + 1),
            report(1, px(1100), NOW + 1),
            report(2, px(1100), NOW + 1));
    rejected(
        prices.submit(MARKET, jump, NOW + 1, MessageDomain.DEMO), OracleRejection.MOVE_TOO_LARGE);
    assertThat(prices.current(MARKET)).isEqualTo(first);

    // a 4% move the next second is accepted and becomes the reference for the next batch
    List<PriceReport> step =
        List.of(
            report(0, px(1040), NOW + 1),
            report(3, px(1040), NOW + 1),
            report(4, px(1041), NOW + 1));
    assertThat(prices.submit(MARKET, step, NOW + 1, MessageDomain.DEMO))
        .isEqualTo(new OracleResult.Accepted(MARKET, px(1040), NOW + 1, 3));
    // 1040 → 1092 is exactly 5% of 1040 (bound 52): accepted only because the reference moved
    List<PriceReport> next =
        List.of(
            report(0, px(1092), NOW + 2),
            report(1, px(1092), NOW + 2),
            report(2, px(1092), NOW + 2));
    assertThat(prices.submit(MARKET, next, NOW + 2, MessageDomain.DEMO))
        .isInstanceOf(OracleResult.Accepted.class);

    // snapshot round trip
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    prices.writeState(new DataOutputStream(bytes));
    OraclePrices restored = new OraclePrices(OracleConfig.of(MARKET, FIVE));
    restored.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(restored.all()).isEqualTo(prices.all());
    assertThat(restored.current(MARKET).price()).isEqualTo(px(1092));
    // the restored table continues from the restored price: 1092 → 1147 is 5.04% (bound 54)
    List<PriceReport> far =
        List.of(
            report(0, px(1147), NOW + 3),
            report(1, px(1147), NOW + 3),
            report(2, px(1147), NOW + 3));
    rejected(restored.submitPreverified(MARKET, far, NOW + 3), OracleRejection.MOVE_TOO_LARGE);
    List<PriceReport> near =
        List.of(
            report(0, px(1146), NOW + 3),
            report(1, px(1146), NOW + 3),
            report(2, px(1146), NOW + 3));
    assertThat(restored.submitPreverified(MARKET, near, NOW + 3))
        .isEqualTo(new OracleResult.Accepted(MARKET, px(1146), NOW + 3, 3));
    assertThat(restored.current(MARKET).price()).isEqualTo(px(1146));
  }
}
