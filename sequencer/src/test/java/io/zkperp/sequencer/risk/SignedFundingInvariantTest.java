package io.zkperp.sequencer.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.CancelAll;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.command.TopUpInsuranceFund;
import io.zkperp.sequencer.command.TransferCollateral;
import io.zkperp.sequencer.command.WithdrawCollateral;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The randomized invariant run of {@link RiskInvariantTest} on the production price and funding
 * path: both markets take their prices only from {@link SignedOraclePrices} batches (5 configured
 * signers, quorum 3, reports at most 30 s old and 5 s ahead of the core's time, at most 3% per
 * update; signer 4 is dishonest and reports prices 10–50% off; some batches are rejected: stale,
 * from the future, below quorum, moving too far, or with a forged signature that the intake's
 * {@code verifySignatures} refuses, plus refused unsigned prices and operator funding ticks) and
 * their funding only from premium samples of the real book on {@code Tick} commands (a sample a
 * minute, a tick an hour), with deposits, transfers, withdrawals, orders, cancels and
 * insurance-fund top-ups, through volatile prices with a 40% fall of market 1 over 60 signed
 * updates about 5 s apart (5 minutes). After every command: collateral conservation (Σ collateral +
 * insurance fund + fee balance + unsettled funding = deposits − withdrawals − funding rounding
 * dust, the dust never negative: funding never creates collateral), Σ sizes per market = 0 with the
 * fund, engine and core positions equal, open interest, the fee balance never decreases, no account
 * with negative equity unless liquidation was triggered for it (none holding a market right after
 * that market's accepted price), a rejected command changes neither the state hash nor emits a
 * record, the state rebuilt from the records alone ({@link RecordModel}) equals the engine, and an
 * engine without the liquidation-price index gives the same events and state hash. At the end a
 * replay into the naive book and a snapshot round trip give the identical state hash.
 */
class SignedFundingInvariantTest {
  private static final SignatureVerifier VERIFIER = new JavaSignatureVerifier(4);

  static final int ACCOUNTS = 12;
  static final int[] MARKETS = {1, 2};
  static final int COMMANDS = 4_000;
  static final int SIGNERS = 5;
  static final int DISHONEST = 4;
  static final long MAX_MOVE_PPM = 30_000;
  static final List<EdDsaPrivateKey> KEYS = keys(SIGNERS, 0x60);
  static final EdDsaPrivateKey FORGER = keys(1, 0x7F).get(0);

  static List<EdDsaPrivateKey> keys(int n, int base) {
    List<EdDsaPrivateKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] seed = new byte[32];
      Arrays.fill(seed, (byte) (base + i));
      keys.add(EdDsaPrivateKey.fromSeed(seed));
    }
    return keys;
  }

  static OracleConfig oracle() {
    OracleConfig.MarketOracle m =
        new OracleConfig.MarketOracle(
            KEYS.stream().map(EdDsaPrivateKey::publicKey).toList(), 3, 30, 5, MAX_MOVE_PPM);
    return new OracleConfig(Map.of(1, m, 2, m));
  }

  static FundingConfig funding() {
    Map<Integer, MarketRisk> risk = RiskInvariantTest.config().markets();
    // rate clamp 600% · (IMF − MMF): market 1 120,000 ppm, market 2 300,000 ppm; max rate = clamp
    return new FundingConfig(
        60,
        3_600,
        Map.of(
            1,
            new FundingConfig.MarketFunding(
                risk.get(1), 5_000, 100, 60_000_000, 6_000_000, 120_000),
            2,
            new FundingConfig.MarketFunding(
                risk.get(2), 5_000, 100, 60_000_000, 6_000_000, 300_000)));
  }

  static RiskEngine engine(boolean indexed) {
    return new RiskEngine(
        RiskInvariantTest.config(), LiquidationConfig.DEFAULT, oracle(), funding(), indexed);
  }

  /** The run's state: the harness, the core's time and each market's last accepted timestamp. */
  final class Run {
    final SplittableRandom rnd;
    final RiskHarness h = new RiskHarness(engine(true), OrderBookFactory.OPTIMISED, MARKETS);
    final long[] price = {0, 10_000, 2_000}; // integer prices the honest signers follow
    final long[] lastTs = new long[3];
    long now = 1_000; // the harness's first Tick
    int forged;

    Run(long seed) {
      rnd = new SplittableRandom(seed);
    }

    /**
     * An honest batch at the test's price: n ≥ quorum distinct signers, maybe the dishonest one.
     */
    SignedOraclePrices honest(int m, long base) {
      int n = 3 + rnd.nextInt(3);
      List<Integer> signers = new ArrayList<>(List.of(0, 1, 2, 3, 4));
      for (int i = signers.size() - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        signers.set(i, signers.set(j, signers.get(i)));
      }
      List<PriceReport> reports = new ArrayList<>();
      long[] honestRange = {Long.MAX_VALUE, Long.MIN_VALUE};
      for (int k = 0; k < n; k++) {
        int s = signers.get(k);
        long p32 = (price[m] << 32) + (price[m] << 32) / 1_000 * (rnd.nextInt(21) - 10) / 10;
        if (s == DISHONEST) {
          long off = (price[m] << 32) / 100 * (10 + rnd.nextInt(41));
          p32 = rnd.nextBoolean() ? p32 + off : p32 - off;
        } else {
          honestRange[0] = Math.min(honestRange[0], p32);
          honestRange[1] = Math.max(honestRange[1], p32);
        }
        long ts = k == 0 ? base : Math.min(now + 5, base + rnd.nextInt(3));
        reports.add(PriceReportSigning.sign(MessageDomain.DEMO, KEYS.get(s), s, m, p32, ts));
      }
      return new SignedOraclePrices(m, reports);
    }

    /** The lower median of the batch's prices (rank ⌊(n − 1) / 2⌋). */
    long lowerMedian(SignedOraclePrices b) {
      long[] p = b.reports().stream().mapToLong(PriceReport::price).sorted().toArray();
      return p[(p.length - 1) / 2];
    }

    /** The batch time for a new price of market m, or -1 if the core's time must move first. */
    long base(int m) {
      long base = Math.max(lastTs[m] + 1, now - rnd.nextInt(10));
      return base > now + 3 ? -1 : base;
    }

    Command tick(long by) {
      now += by;
      return new Tick(now);
    }
  }

  /** An expected rejection: the command and its reason. */
  record Bad(Command command, RejectReason reason) {}

  /** A batch (or unsigned price / operator tick) that the core or the intake must refuse. */
  Bad bad(Run r) {
    int m = MARKETS[r.rnd.nextInt(2)];
    long p32 = r.price[m] << 32;
    int kind = r.rnd.nextInt(7);
    List<PriceReport> reports = new ArrayList<>();
    switch (kind) {
      case 0 -> { // stale: older than 30 s before now
        for (int s = 0; s < 3; s++) {
          reports.add(
              PriceReportSigning.sign(
                  MessageDomain.DEMO, KEYS.get(s), s, m, p32, r.now - 31 - r.rnd.nextInt(5)));
        }
        return new Bad(new SignedOraclePrices(m, reports), RejectReason.ORACLE_STALE);
      }
      case 1 -> { // more than 5 s ahead
        for (int s = 0; s < 3; s++) {
          reports.add(
              PriceReportSigning.sign(
                  MessageDomain.DEMO, KEYS.get(s), s, m, p32, r.now + 6 + r.rnd.nextInt(5)));
        }
        return new Bad(new SignedOraclePrices(m, reports), RejectReason.ORACLE_FUTURE_TIMESTAMP);
      }
      case 2 -> { // two signers: below the quorum of 3
        for (int s = 0; s < 2; s++) {
          reports.add(PriceReportSigning.sign(MessageDomain.DEMO, KEYS.get(s), s, m, p32, r.now));
        }
        return new Bad(new SignedOraclePrices(m, reports), RejectReason.ORACLE_QUORUM_NOT_MET);
      }
      case 3 -> { // a quorum, all newer, but 5–20% away from the current price
        long base = r.base(m);
        if (base < 0) {
          return null;
        }
        long moved = p32 + p32 / 100 * (5 + r.rnd.nextInt(16)) * (r.rnd.nextBoolean() ? 1 : -1);
        for (int s = 0; s < 3; s++) {
          reports.add(PriceReportSigning.sign(MessageDomain.DEMO, KEYS.get(s), s, m, moved, base));
        }
        return new Bad(new SignedOraclePrices(m, reports), RejectReason.ORACLE_MOVE_TOO_LARGE);
      }
      case 4 -> { // signer 2's report signed by a key that is not signer 2's
        long base = r.base(m);
        if (base < 0) {
          return null;
        }
        for (int s = 0; s < 3; s++) {
          reports.add(
              PriceReportSigning.sign(
                  MessageDomain.DEMO, s == 2 ? FORGER : KEYS.get(s), s, m, p32, base));
        }
        return new Bad(new SignedOraclePrices(m, reports), RejectReason.ORACLE_BAD_SIGNATURE);
      }
      case 5 -> {
        return new Bad(
            new OraclePrice(m, r.price[m], r.lastTs[m] + 1),
            RejectReason.UNSIGNED_ORACLE_PRICE_REFUSED);
      }
      default -> {
        return new Bad(new FundingTick(m, 1, r.now), RejectReason.OPERATOR_FUNDING_TICK_REFUSED);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14})
  void invariantsHoldOnSignedPricesAndDerivedFunding(long seed) throws Exception {
    Run r = new Run(seed);
    SplittableRandom rnd = r.rnd;
    RiskHarness h = r.h;
    RecordModel model = new RecordModel();
    for (int m : MARKETS) {
      h.ok(r.honest(m, r.now));
      r.lastTs[m] = h.risk.oracleTimestamp(m);
    }
    model.applyAll(h.events.drain());
    EventCollector scanEvents = new EventCollector();
    SequencerCore scan =
        new SequencerCore(
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            engine(false),
            scanEvents);
    for (Command c : h.accepted) {
      assertThat(scan.apply(c)).isTrue();
    }
    long lastFee = 0;
    int crashAt = COMMANDS / 4 + rnd.nextInt(COMMANDS / 2);
    int crashStep = -1;
    long crashFrom = 0;
    long crashLow = Long.MAX_VALUE;
    long crashStart = 0;
    long crashEnd = 0;
    Map<RejectReason, Integer> rejections = new EnumMap<>(RejectReason.class);
    Map<Class<?>, Integer> counts = new HashMap<>();
    Set<Integer> triggered = new HashSet<>();
    int accepted = 0;
    int dishonestIncluded = 0;
    int[] derived = new int[3];
    byte[] snapshot = null;
    int snapshotAt = -1;
    for (int i = 0; i < COMMANDS; i++) {
      if (i == crashAt) {
        crashStep = 0;
        crashFrom = r.price[1];
        crashStart = r.now;
      }
      Command c;
      Bad expected = null;
      SignedOraclePrices batch = null;
      int roll = rnd.nextInt(100);
      boolean crashing = crashStep >= 0 && crashStep < 60;
      if (crashing && roll < 40) {
        // market 1 falls linearly to 60% over 60 signed updates, the time moving 5 s between them
        if (r.lastTs[1] >= r.now) {
          c = r.tick(5);
        } else {
          crashStep++;
          r.price[1] = crashFrom - crashFrom * 4 * crashStep / 600;
          batch = r.honest(1, r.now);
          c = batch;
          if (crashStep == 60) {
            crashEnd = r.now;
          }
        }
      } else if (roll < 6) {
        int m = MARKETS[rnd.nextInt(2)];
        long base = r.base(m);
        if (base < 0) {
          c = r.tick(1 + rnd.nextInt(10));
        } else {
          r.price[m] =
              Math.max(10, r.price[m] + r.price[m] * (rnd.nextInt(31) - 15) / 1000); // 1.5%
          batch = r.honest(m, base);
          c = batch;
        }
      } else if (roll < 8) {
        expected = bad(r);
        c = expected == null ? r.tick(1 + rnd.nextInt(10)) : expected.command();
      } else if (roll < 17) {
        c = r.tick(crashing ? 1 + rnd.nextInt(5) : 5 + rnd.nextInt(56));
      } else if (roll < 18) {
        c =
            rnd.nextInt(5) == 0
                ? new TopUpInsuranceFund(1 + rnd.nextLong(500_000))
                : new DepositCollateral(rnd.nextInt(ACCOUNTS), 1 + rnd.nextLong(3_000_000));
      } else if (roll < 19) {
        int a = rnd.nextInt(ACCOUNTS);
        long free = Math.max(1, h.risk.freeCollateral(a));
        c =
            new TransferCollateral(
                a, (a + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS, 1 + rnd.nextLong(free));
      } else if (roll < 23) {
        int a = rnd.nextInt(ACCOUNTS);
        long free = Math.max(1, h.risk.freeCollateral(a));
        c = new WithdrawCollateral(a, 1 + rnd.nextLong(free + free / 5));
      } else if (roll < 26) {
        c = new CancelAll(rnd.nextInt(ACCOUNTS), CancelAll.ALL_MARKETS);
      } else {
        c = h.randomOrder(rnd, ACCOUNTS, MARKETS, r.price);
      }
      String before = CoreState.hashHex(h.core);
      int recordsBefore = model.records();
      h.events.drain();
      scanEvents.drain();
      boolean applied;
      if (c instanceof SignedOraclePrices s
          && h.risk
                  .oracleAggregator()
                  .verifySignatures(s.market(), s.reports(), VERIFIER, MessageDomain.DEMO)
              != null) {
        // the intake refuses it (ORACLE_BAD_SIGNATURE) before the core or the journal see it
        assertThat(expected).as("honest batch failed verification: %s", c).isNotNull();
        assertThat(expected.reason()).isEqualTo(RejectReason.ORACLE_BAD_SIGNATURE);
        r.forged++;
        applied = false;
      } else {
        applied = h.apply(c);
        assertThat(scan.apply(c)).as("full-scan engine on %s", c).isEqualTo(applied);
      }
      List<SequencerEvent> produced = h.events.drain();
      assertThat(scanEvents.drain()).as("events of %s", c).isEqualTo(produced);
      assertThat(CoreState.hashHex(scan)).isEqualTo(CoreState.hashHex(h.core));
      model.applyAll(produced);
      if (expected != null) {
        assertThat(applied).as("%s accepted", c).isFalse();
        if (expected.reason() != RejectReason.ORACLE_BAD_SIGNATURE) {
          assertThat(h.core.lastRejectReason()).as("%s", c).isEqualTo(expected.reason());
        }
        rejections.merge(expected.reason(), 1, Integer::sum);
      } else if (!applied) {
        rejections.merge(h.core.lastRejectReason(), 1, Integer::sum);
      }
      if (applied) {
        accepted++;
      } else {
        assertThat(CoreState.hashHex(h.core))
            .as("rejected %s changed the state", c)
            .isEqualTo(before);
        assertThat(model.records()).as("rejected %s emitted records", c).isEqualTo(recordsBefore);
      }
      if (batch != null) {
        assertThat(applied).as("honest batch %s: %s", c, h.core.lastRejectMessage()).isTrue();
        int m = batch.market();
        long oldest =
            batch.reports().stream().mapToLong(PriceReport::timestamp).min().orElseThrow();
        assertThat(produced.get(0))
            .isEqualTo(
                new SequencerEvent.PriceTickApplied(
                    m, r.lowerMedian(batch), oldest, h.core.time()));
        // the dishonest signer never sets the price: the median is an honest report's price
        assertThat(batch.reports())
            .anySatisfy(
                p -> {
                  assertThat(p.signer()).isNotEqualTo(DISHONEST);
                  assertThat(p.price()).isEqualTo(h.risk.oracleFixed(m));
                });
        if (batch.reports().stream().anyMatch(p -> p.signer() == DISHONEST)) {
          dishonestIncluded++;
        }
        r.lastTs[m] = oldest;
        if (m == 1) {
          crashLow = Math.min(crashLow, h.risk.oracleFixed(1));
        }
      }
      for (SequencerEvent e : produced) {
        if (e instanceof SequencerEvent.LiquidationTriggered t) {
          triggered.add(t.account());
        }
        if (e instanceof SequencerEvent.FundingTickDerived d) {
          derived[d.market()]++;
        }
        counts.merge(e.getClass(), 1, Integer::sum);
      }
      String when = "after command " + i;
      model.assertMatches(h.risk, ACCOUNTS, MARKETS, when);
      // conservation; dust ≥ 0: funding never creates collateral
      long held =
          h.risk.totalCollateral()
              + h.risk.insuranceFund().collateral()
              + h.risk.feeBalance()
              + h.risk.totalPendingFunding();
      long dust = h.risk.totalDeposited() - h.risk.totalWithdrawn() - held;
      assertThat(dust).as("funding dust %s", when).isBetween(0L, 4L * (i + ACCOUNTS));
      if (!counts.containsKey(SequencerEvent.FundingTickApplied.class)) {
        assertThat(dust).isZero();
      }
      assertThat(h.risk.feeBalance()).isGreaterThanOrEqualTo(lastFee);
      lastFee = h.risk.feeBalance();
      h.assertNegativeEquityOnlyIfTriggered(
          ACCOUNTS,
          triggered,
          applied && c instanceof SignedOraclePrices s ? s.market() : -1,
          when);
      h.assertPositionsBalanced(ACCOUNTS, MARKETS, when);
      if (i == COMMANDS / 2) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CoreState.write(h.core, new DataOutputStream(bytes));
        snapshot = bytes.toByteArray();
        snapshotAt = h.accepted.size();
      }
    }
    // the run exercised what it claims to
    assertThat(crashEnd - crashStart).as("the 40%% fall took minutes").isBetween(1L, 600L);
    assertThat(crashLow).isLessThanOrEqualTo((crashFrom * 61 / 100) << 32);
    assertThat(dishonestIncluded).isPositive();
    assertThat(r.forged).isPositive();
    for (RejectReason reason :
        List.of(
            RejectReason.ORACLE_STALE,
            RejectReason.ORACLE_FUTURE_TIMESTAMP,
            RejectReason.ORACLE_QUORUM_NOT_MET,
            RejectReason.ORACLE_MOVE_TOO_LARGE,
            RejectReason.UNSIGNED_ORACLE_PRICE_REFUSED,
            RejectReason.OPERATOR_FUNDING_TICK_REFUSED,
            RejectReason.INSUFFICIENT_MARGIN)) {
      assertThat(rejections).as("rejections").containsKey(reason);
    }
    for (int m : MARKETS) {
      assertThat(derived[m]).as("derived funding ticks of market %d", m).isGreaterThanOrEqualTo(2);
    }
    assertThat(h.risk.fundingIndex(1)).isNotZero();
    assertThat(h.risk.fundingIndex(2)).isNotZero();
    assertThat(counts.getOrDefault(SequencerEvent.LiquidationTriggered.class, 0)).isPositive();
    assertThat(counts.getOrDefault(SequencerEvent.TradeSettled.class, 0)).isPositive();
    assertThat(counts.getOrDefault(SequencerEvent.InsuranceFundToppedUp.class, 0)).isPositive();
    assertThat(accepted).isGreaterThan(COMMANDS / 2);

    String finalHash = CoreState.hashHex(h.core);
    SequencerCore replay =
        new SequencerCore(
            OrderBookFactory.NAIVE,
            SelfTradePrevention.EXPIRE_MAKER,
            engine(true),
            CoreListener.NONE);
    for (Command c : h.accepted) {
      assertThat(replay.apply(c)).as("replay of %s", c).isTrue();
    }
    assertThat(CoreState.hashHex(replay)).isEqualTo(finalHash);
    SequencerCore fromSnapshot =
        CoreState.read(
            new DataInputStream(new ByteArrayInputStream(snapshot)),
            OrderBookFactory.OPTIMISED,
            engine(true),
            CoreListener.NONE);
    for (Command c : h.accepted.subList(snapshotAt, h.accepted.size())) {
      assertThat(fromSnapshot.apply(c)).isTrue();
    }
    assertThat(CoreState.hashHex(fromSnapshot)).isEqualTo(finalHash);
    System.out.printf(
        "seed %d: %d accepted, time %d s, %d records, rejections %s, events %s, fee balance %d,"
            + " insurance fund %d, funding index %d / %d, market 1 low %d%n",
        seed,
        accepted,
        r.now - 1_000,
        model.records(),
        rejections,
        counts.entrySet().stream()
            .filter(e -> e.getKey().getSimpleName().matches("Liq.*|Ins.*|Del.*|Funding.*"))
            .map(e -> e.getKey().getSimpleName() + "=" + e.getValue())
            .sorted()
            .toList(),
        h.risk.feeBalance(),
        h.risk.insuranceFund().collateral(),
        h.risk.fundingIndex(1),
        h.risk.fundingIndex(2),
        crashLow >> 32);
  }
}
