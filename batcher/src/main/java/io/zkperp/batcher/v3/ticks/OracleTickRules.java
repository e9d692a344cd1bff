package io.zkperp.batcher.v3.ticks;

import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.OracleSigner;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The oracle tick's rules as the circuit checks them, written after the Go reference ({@code
 * tickstep.ApplyOracleTick} over {@code reference.ApplyOracleTick}): same checks, same order, same
 * outcome (the lower median and the oldest timestamp). Stateless; any thread.
 */
final class OracleTickRules {
  private OracleTickRules() {}

  /** The gadget's bound on oracleMaxMovePpm (below 2^20). */
  static final long MAX_MOVE_PPM_BOUND = 1L << 20;

  /** The reports a tick may carry: the signer tree's slots. */
  static final int MAX_REPORTS = LayoutV2.ORACLE_SIGNER_SLOTS;

  private static final BigInteger PPM = BigInteger.valueOf(1_000_000);

  /**
   * What the tick writes and the rules it breaks.
   *
   * @param price the lower median (0 without reports)
   * @param timestamp the oldest report's timestamp (0 without reports)
   * @param broken the broken rules, the engine's rejection first
   */
  record Outcome(long price, long timestamp, List<TickRefusalReason> broken) {}

  /**
   * Checks the tick against the market leaf and the global leaf.
   *
   * @throws TickRefusedException VALUE_OUT_OF_RANGE for a value the circuit cannot read
   */
  static Outcome apply(MessageDomain domain, OracleTick t, MarketV2 m, GlobalV2 g)
      throws TickRefusedException {
    TickRuleList.checkTimes(t.now(), t.batchTime());
    long prevPrice = TickRuleList.signed(m.oraclePrice(), "oraclePrice");
    long prevTime = TickRuleList.signed(m.oracleTimestamp(), "oracleTimestamp");
    long maxAge = TickRuleList.signed(m.risk().oracleMaxAgeSeconds(), "oracleMaxAgeSeconds");
    long maxFuture =
        TickRuleList.signed(m.risk().oracleMaxFutureSeconds(), "oracleMaxFutureSeconds");
    long maxMove = TickRuleList.signed(m.risk().oracleMaxMovePpm(), "oracleMaxMovePpm");
    if (maxMove >= MAX_MOVE_PPM_BOUND) {
      throw TickRuleList.refused(
          TickRefusalReason.VALUE_OUT_OF_RANGE, "oracleMaxMovePpm " + maxMove + " ≥ 2^20");
    }
    List<SignedPriceReport> reports = t.reports();
    for (int i = 0; i < reports.size(); i++) {
      if (reports.get(i).timestamp() < 0) {
        throw TickRuleList.refused(
            TickRefusalReason.VALUE_OUT_OF_RANGE,
            "report " + i + " timestamp " + reports.get(i).timestamp());
      }
    }
    List<OracleSigner> slots = g.oracleSigners().slots();
    int signers = 0; // the signer list: up to the last non-empty slot
    for (int i = 0; i < slots.size(); i++) {
      if (!slots.get(i).equals(OracleSigner.EMPTY)) {
        signers = i + 1;
      }
    }
    TickRuleList broken = new TickRuleList();
    if (reports.size() > MAX_REPORTS) {
      broken.add(TickRefusalReason.TOO_MANY_REPORTS);
    }
    if (t.now() > t.batchTime()) {
      broken.add(TickRefusalReason.AFTER_BATCH_TIME);
    }
    Set<Integer> seen = new HashSet<>();
    long oldest = Long.MAX_VALUE;
    long earliest = saturatedAdd(t.now(), -maxAge);
    long latest = saturatedAdd(t.now(), maxFuture);
    for (SignedPriceReport r : reports) {
      if (r.market() != t.market()) {
        broken.add(TickRefusalReason.MARKET_MISMATCH);
      }
      if (r.signer() < 0 || r.signer() >= signers) {
        broken.add(TickRefusalReason.UNKNOWN_SIGNER);
      }
      if (!seen.add(r.signer())) {
        broken.add(TickRefusalReason.DUPLICATE_SIGNER);
      }
      if (r.price() <= 0) {
        broken.add(TickRefusalReason.NON_POSITIVE_PRICE);
      }
      if (r.timestamp() < earliest) {
        broken.add(TickRefusalReason.STALE);
      }
      if (r.timestamp() > latest) {
        broken.add(TickRefusalReason.FUTURE_TIMESTAMP);
      }
      oldest = Math.min(oldest, r.timestamp());
    }
    if (reports.size() < g.oracleQuorum() || reports.isEmpty()) {
      broken.add(TickRefusalReason.QUORUM_NOT_MET);
    }
    if (prevPrice != 0 && !reports.isEmpty() && oldest <= prevTime) {
      broken.add(TickRefusalReason.NOT_NEWER);
    }
    for (SignedPriceReport r : reports) {
      if (r.signer() >= 0 && r.signer() < signers && !verifies(domain, slots.get(r.signer()), r)) {
        broken.add(TickRefusalReason.BAD_SIGNATURE);
      }
    }
    long price = 0;
    long timestamp = 0;
    if (!reports.isEmpty()) {
      price = lowerMedian(reports);
      timestamp = oldest;
      if (prevPrice != 0) {
        BigInteger bound =
            BigInteger.valueOf(prevPrice).multiply(BigInteger.valueOf(maxMove)).divide(PPM);
        BigInteger move = BigInteger.valueOf(price).subtract(BigInteger.valueOf(prevPrice)).abs();
        if (move.compareTo(bound) > 0) {
          broken.add(TickRefusalReason.MOVE_TOO_LARGE);
        }
      }
    }
    // an empty slot inside the list: the circuit reads its leaf 0, so the signer is unknown
    for (SignedPriceReport r : reports) {
      if (r.signer() >= 0
          && r.signer() < signers
          && slots.get(r.signer()).equals(OracleSigner.EMPTY)) {
        broken.add(TickRefusalReason.UNKNOWN_SIGNER);
      }
    }
    return new Outcome(price, timestamp, broken.list());
  }

  /** The price of rank ⌊(n − 1) / 2⌋ in ascending order. */
  static long lowerMedian(List<SignedPriceReport> reports) {
    long[] prices = reports.stream().mapToLong(SignedPriceReport::price).toArray();
    Arrays.sort(prices);
    return prices[(prices.length - 1) / 2];
  }

  private static boolean verifies(MessageDomain domain, OracleSigner key, SignedPriceReport r) {
    try {
      EdDsaPublicKey k = EdDsaPublicKey.of(key.keyX(), key.keyY());
      return EdDsa.verify(k, r.signature(), r.message().hash(domain));
    } catch (RuntimeException e) { // the empty slot's (0, 0), or malformed signature bytes
      return false;
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }
}
