package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.command.TopUpInsuranceFund;
import io.zkperp.sequencer.risk.FeeTier;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The account and markets streams, and the read model's accounts, against a core with a risk
 * engine: market 1 takes quorum-signed oracle prices and derives its funding from premium samples
 * on {@code Tick}; market 2 takes operator prices and operator funding ticks. Random signed orders
 * (GTC and IOC, both markets, six accounts with two fee tiers) and signed cancels go in over HTTP
 * while the clock advances a minute every four orders (70 minutes in all). Clients subscribed to
 * four accounts (the insurance fund included) rebuild each account from the snapshot and the
 * updates, checking every sequence is the previous + 1; the result must equal {@code
 * perp_getAccount} and {@code perp_getOpenOrders}, and the streamed fills must equal the newest
 * ones of {@code perp_getFills}. The markets stream must end at the engine's oracle prices and
 * funding indices, its funding messages equal to {@code perp_getFundingHistory}. After close, every
 * account of the read model equals the engine's (collateral, positions, funding snapshots, cost
 * basis, equity, margin requirements, free collateral). It runs twice: quiet, and with a crash of
 * market 2 that liquidates accounts.
 */
class AccountStreamTest {
  static final int ACCOUNTS = 6;
  static final int FUND = RiskEngine.INSURANCE_FUND;
  static final List<EdDsaPrivateKey> ORACLE_KEYS = oracleKeys();

  @TempDir Path dir;

  /** Extra per-minute move of market 2, per mille (the crash run's fall). */
  static long drift;

  static List<EdDsaPrivateKey> oracleKeys() {
    List<EdDsaPrivateKey> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] seed = new byte[32];
      Arrays.fill(seed, (byte) (0x60 + i));
      keys.add(EdDsaPrivateKey.fromSeed(seed));
    }
    return keys;
  }

  static RiskConfig riskConfig() {
    return new RiskConfig(
        Map.of(
            1, new MarketRisk(50_000, 30_000, 200, 100, 10_000, 100_000, 1_000_000),
            2, new MarketRisk(100_000, 50_000, 50, 25, 20_000, 100_000, 1_000_000)),
        List.of(new FeeTier(200, 500), new FeeTier(-100, 300)),
        Map.of(3, 1, 4, 1));
  }

  static RiskEngine engine() {
    RiskConfig config = riskConfig();
    OracleConfig oracle =
        new OracleConfig(
            Map.of(
                1,
                new OracleConfig.MarketOracle(
                    ORACLE_KEYS.stream().map(EdDsaPrivateKey::publicKey).toList(),
                    2,
                    30,
                    5,
                    30_000)));
    FundingConfig funding =
        new FundingConfig(
            60,
            3_600,
            Map.of(
                1,
                new FundingConfig.MarketFunding(
                    config.markets().get(1), 5_000, 100, 60_000_000, 6_000_000, 120_000)));
    return new RiskEngine(config, LiquidationConfig.DEFAULT, oracle, funding);
  }

  static SignedOraclePrices signed(int market, long price, long ts) {
    List<PriceReport> reports = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      reports.add(
          PriceReportSigning.sign(
              MessageDomain.DEMO, ORACLE_KEYS.get(s), s, market, price << 32, ts));
    }
    return new SignedOraclePrices(market, reports);
  }

  static List<Command> setup(long collateral) {
    List<Command> c = new ArrayList<>();
    c.add(new Tick(1_000));
    for (int a = 0; a < ACCOUNTS; a++) {
      c.add(new DepositCollateral(a, collateral));
    }
    c.add(new TopUpInsuranceFund(100_000));
    c.add(signed(1, 1_000, 1_000));
    c.add(new OraclePrice(2, 1_000, 1_000));
    return c;
  }

  /** An account rebuilt from its stream. */
  static final class Replica {
    long sequence = -1;
    JsonNode state;
    final TreeMap<Long, JsonNode> openOrders = new TreeMap<>();
    final List<JsonNode> fills = new ArrayList<>();

    void apply(JsonNode p) {
      long seq = p.path("sequence").asLong();
      if (p.path("type").asText().equals("snapshot")) {
        openOrders.clear();
        for (JsonNode o : p.path("openOrders")) {
          openOrders.put(o.path("orderId").asLong(), o);
        }
      } else {
        assertThat(p.path("type").asText()).isEqualTo("update");
        assertThat(seq).as("no gap, no repeat").isEqualTo(sequence + 1);
        for (JsonNode o : p.path("orders")) {
          String status = o.path("status").asText();
          ObjectNode order = ((ObjectNode) o).deepCopy();
          order.remove("status");
          if (status.equals("OPEN") || status.equals("PARKED")) {
            openOrders.put(o.path("orderId").asLong(), order);
          } else {
            openOrders.remove(o.path("orderId").asLong());
          }
        }
        p.path("fills").forEach(fills::add);
      }
      state = p;
      sequence = seq;
    }
  }

  /** The account fields that a stream message and perp_getAccount share (journalSeq aside). */
  static ObjectNode accountFields(JsonNode n) {
    ObjectNode o = GatewayHarness.MAPPER.createObjectNode();
    for (String f :
        List.of(
            "account",
            "sequence",
            "collateral",
            "positions",
            "equity",
            "initialMargin",
            "maintenanceMargin",
            "freeCollateral",
            "pendingFunding")) {
      o.set(f, n.get(f));
    }
    return o;
  }

  /**
   * Quiet: 2,000,000 collateral per account, prices within ±0.5% a minute. Crash: 40,000 collateral
   * per account and market 2 falling 1% more every minute (about −50% in all), so that accounts are
   * liquidated (liquidation orders, insurance-fund fees, takeovers or deleveraging).
   */
  @ParameterizedTest(name = "crash={0}")
  @ValueSource(booleans = {false, true})
  void accountsAndMarketsStreamsRebuildTheReadModelAndTheEngine(boolean crash) throws Exception {
    GatewayHarness h =
        new GatewayHarness(
            dir, GatewayConfig.defaults(0), engine(), setup(crash ? 40_000 : 2_000_000));
    drift = crash ? -10 : 0;
    try {
      SplittableRandom rnd = new SplittableRandom(42);
      long[] nonce = new long[ACCOUNTS];
      long[] price = {0, 1_000, 1_000};
      long[] now = {1_000};
      int[] watched = {0, 1, 3, FUND};
      Map<Long, Integer> subAccount = new HashMap<>();
      Map<Integer, Replica> replicas = new HashMap<>();
      run(h, rnd, nonce, price, now, 0, 40);

      StreamClient c = StreamClient.connect(h);
      for (int a : watched) {
        subAccount.put(c.subscribe(h.account(a).put("channel", "account").toString()), a);
        replicas.put(a, new Replica());
      }
      long marketsSub = c.subscribe("{\"channel\":\"markets\"}");
      long journalAtSubscribe = h.gateway.readModel().journalSeq();

      run(h, rnd, nonce, price, now, 40, 280);

      // drain the stream up to the read model's state
      Map<Integer, long[]> marketSeq = new HashMap<>(); // market -> {sequence, oracle, index}
      List<JsonNode> fundingMessages = new ArrayList<>();
      Map<Integer, Long> target = new HashMap<>();
      for (int a : watched) {
        target.put(
            a, h.call("perp_getAccount", h.account(a)).path("result").path("sequence").asLong());
      }
      long marketTarget = 0;
      for (ReadModel.MarketState m : h.gateway.readModel().marketStates(-1)) {
        marketTarget += m.sequence();
      }
      while (!done(replicas, target) || total(marketSeq) < marketTarget) {
        JsonNode p = c.next().path("params");
        long sub = p.path("subscription").asLong();
        if (sub == marketsSub) {
          applyMarket(p, marketSeq, fundingMessages);
        } else {
          assertThat(subAccount).containsKey(sub);
          replicas.get(subAccount.get(sub)).apply(p);
        }
      }

      for (int a : watched) {
        Replica r = replicas.get(a);
        JsonNode account = h.call("perp_getAccount", h.account(a)).path("result");
        assertThat(accountFields(r.state)).as("account %d", a).isEqualTo(accountFields(account));
        ArrayNode open = GatewayHarness.MAPPER.createArrayNode();
        r.openOrders.values().forEach(open::add);
        assertThat(open)
            .as("open orders of %d", a)
            .isEqualTo(h.call("perp_getOpenOrders", h.account(a)).path("result"));
        ObjectNode q = h.account(a);
        q.put("limit", 1000);
        JsonNode fills = h.call("perp_getFills", q).path("result").path("fills");
        List<JsonNode> newest = new ArrayList<>();
        for (JsonNode f : fills) {
          if (f.path("journalSeq").asLong() > journalAtSubscribe) {
            newest.add(0, f);
          }
        }
        assertThat(r.fills).as("fills of %d", a).isEqualTo(newest);
      }
      assertThat(replicas.get(0).fills).isNotEmpty();
      assertThat(replicas.get(0).state.path("positions")).isNotEmpty();
      assertThat(replicas.get(0).state.path("initialMargin").asLong()).isPositive();

      // funding history = the streamed funding ticks (newest first), both kinds present
      List<JsonNode> history = new ArrayList<>();
      for (int m = 1; m <= 2; m++) {
        ObjectNode q = h.mapperObject("market", m);
        q.put("limit", 1000);
        for (JsonNode t : h.call("perp_getFundingHistory", q).path("result").path("ticks")) {
          if (t.path("journalSeq").asLong() > journalAtSubscribe) {
            history.add(t);
          }
        }
      }
      List<JsonNode> streamed = new ArrayList<>();
      for (JsonNode f : fundingMessages) {
        ObjectNode t = ((ObjectNode) f).deepCopy();
        for (String k : List.of("subscription", "channel", "type", "sequence")) {
          t.remove(k);
        }
        streamed.add(t);
      }
      List<JsonNode> expected =
          history.stream()
              .sorted(
                  java.util.Comparator.comparingLong((JsonNode t) -> t.path("journalSeq").asLong())
                      .thenComparingInt(t -> t.path("market").asInt()))
              .toList();
      assertThat(streamed).containsExactlyElementsOf(expected);
      assertThat(history).anyMatch(t -> t.has("ratePpm")); // derived (market 1)
      assertThat(history).anyMatch(t -> t.path("market").asInt() == 2); // operator

      h.close();
      RiskEngine risk = h.risk;
      for (int m = 1; m <= 2; m++) {
        assertThat(marketSeq.get(m)[1]).as("oracle %d", m).isEqualTo(risk.oracleFixed(m));
        assertThat(marketSeq.get(m)[2]).as("funding index %d", m).isEqualTo(risk.fundingIndex(m));
      }
      for (int a : watched) {
        JsonNode s = replicas.get(a).state;
        long collateral = a == FUND ? risk.insuranceFund().collateral() : risk.collateral(a);
        long equity = a == FUND ? risk.insuranceFund().equity() : risk.equity(a);
        assertThat(s.path("collateral").asLong())
            .as("stream collateral %d", a)
            .isEqualTo(collateral);
        assertThat(s.path("equity").asLong()).as("stream equity %d", a).isEqualTo(equity);
      }
      assertReadModelEqualsEngine(h.gateway.readModel(), risk, ACCOUNTS + 4);
      if (crash) {
        assertThat(risk.insuranceFund().collateral())
            .as("liquidations paid fees to the insurance fund or it took positions over")
            .isNotEqualTo(100_000);
      }
    } finally {
      h.close();
    }
  }

  /** Every account of the read model (and the insurance fund) equals the engine's. */
  static void assertReadModelEqualsEngine(ReadModel rm, RiskEngine risk, int accounts) {
    for (int a = 0; a < accounts; a++) {
      ReadModel.AccountView v = rm.account(a);
      assertThat(v.collateral()).as("collateral %d", a).isEqualTo(risk.collateral(a));
      assertThat(v.margin().equity()).as("equity %d", a).isEqualTo(risk.equity(a));
      assertThat(v.margin().initialMargin()).as("IMR %d", a).isEqualTo(risk.initialRequirement(a));
      assertThat(v.margin().maintenanceMargin())
          .as("MMR %d", a)
          .isEqualTo(risk.maintenanceRequirement(a));
      assertThat(v.margin().freeCollateral()).as("free %d", a).isEqualTo(risk.freeCollateral(a));
      assertThat(v.margin().pendingFunding()).as("funding %d", a).isEqualTo(risk.pendingFunding(a));
      for (int m = 1; m <= 2; m++) {
        int market = m;
        ReadModel.Position p =
            v.positions().stream().filter(x -> x.market() == market).findFirst().orElse(null);
        assertThat(p == null ? 0 : p.size()).as("size %d/%d", a, m).isEqualTo(risk.position(a, m));
        assertThat(p == null ? 0 : p.fundingSnapshot())
            .as("snapshot %d/%d", a, m)
            .isEqualTo(risk.fundingSnapshot(a, m));
        assertThat(p == null ? 0 : p.costBasis())
            .as("cost basis %d/%d", a, m)
            .isEqualTo(risk.costBasis(a, m));
      }
    }
    ReadModel.AccountView fund = rm.account(FUND);
    assertThat(fund.collateral()).isEqualTo(risk.insuranceFund().collateral());
    assertThat(fund.margin().equity()).isEqualTo(risk.insuranceFund().equity());
    for (int m = 1; m <= 2; m++) {
      int market = m;
      long size =
          fund.positions().stream()
              .filter(x -> x.market() == market)
              .mapToLong(x -> x.size())
              .sum();
      assertThat(size).isEqualTo(risk.insuranceFund().position(m));
    }
  }

  private static boolean done(Map<Integer, Replica> replicas, Map<Integer, Long> target) {
    for (Map.Entry<Integer, Long> e : target.entrySet()) {
      if (replicas.get(e.getKey()).sequence < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static long total(Map<Integer, long[]> marketSeq) {
    return marketSeq.values().stream().mapToLong(v -> v[0]).sum();
  }

  private static void applyMarket(
      JsonNode p, Map<Integer, long[]> marketSeq, List<JsonNode> fundingMessages) {
    switch (p.path("type").asText()) {
      case "snapshot" -> {
        for (JsonNode m : p.path("markets")) {
          marketSeq.put(
              m.path("market").asInt(),
              new long[] {
                m.path("sequence").asLong(),
                m.path("oraclePrice").asLong(),
                m.path("fundingIndex").asLong()
              });
        }
      }
      case "price" -> {
        long[] s = marketSeq.get(p.path("market").asInt());
        assertThat(p.path("sequence").asLong()).as("market sequence").isEqualTo(s[0] + 1);
        s[0]++;
        s[1] = p.path("oraclePrice").asLong();
      }
      case "funding" -> {
        long[] s = marketSeq.get(p.path("market").asInt());
        assertThat(p.path("sequence").asLong()).as("market sequence").isEqualTo(s[0] + 1);
        s[0]++;
        s[2] = p.path("fundingIndex").asLong();
        fundingMessages.add(p);
      }
      default -> throw new AssertionError("unexpected " + p);
    }
  }

  /**
   * Orders {@code from} (inclusive) to {@code to}: a random signed order (one in four IOC), one in
   * six resting orders cancelled; every fourth step the clock advances 60 s with a Tick, a signed
   * price for market 1 and an operator price for market 2 (random walk, at most ±0.5%); every 20th
   * step an operator funding tick for market 2.
   */
  static void run(
      GatewayHarness h,
      SplittableRandom rnd,
      long[] nonce,
      long[] price,
      long[] now,
      int from,
      int to)
      throws Exception {
    for (int i = from; i < to; i++) {
      if (i % 4 == 3) {
        now[0] += 60;
        h.submit(new Tick(now[0]));
        for (int m = 1; m <= 2; m++) {
          long move = rnd.nextInt(11) - 5 + (m == 2 ? drift : 0);
          price[m] = Math.max(100, price[m] + price[m] * move / 1000);
        }
        h.submit(signed(1, price[1], now[0]));
        h.submit(new OraclePrice(2, price[2], now[0]));
      }
      if (i % 20 == 19) {
        h.submit(
            new FundingTick(
                2,
                ((price[2] << 32) / 20_000)
                    * (rnd.nextBoolean() ? 1 + rnd.nextInt(2) : -1 - rnd.nextInt(2)),
                now[0]));
      }
      int account = rnd.nextInt(ACCOUNTS);
      int market = 1 + rnd.nextInt(2);
      Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
      long limit = price[market] + price[market] * (rnd.nextInt(41) - 20) / 1000;
      long size;
      if (market == 1) {
        limit = Math.max(10, limit / 10 * 10);
        size = 10 + 5 * rnd.nextInt(8);
      } else {
        size = 1 + rnd.nextInt(40);
      }
      ObjectNode o = h.order(account, market, side, size, limit, ++nonce[account]);
      o.put("clientOrderId", nonce[account]);
      if (rnd.nextInt(4) == 0) {
        o.put("timeInForce", "IOC");
      }
      h.resign(o);
      JsonNode res = h.call("perp_placeOrder", o);
      if (!res.has("result")) {
        // margin rejections are fine (typed errors); anything else is a test bug
        assertThat(res.path("error").path("code").asInt()).as(res.toString()).isBetween(4000, 4999);
        continue;
      }
      if (rnd.nextInt(6) == 0 && res.path("result").path("status").asText().equals("OPEN")) {
        long id = res.path("result").path("orderId").asLong();
        ObjectNode cancel = GatewayHarness.MAPPER.createObjectNode();
        cancel.put("account", account);
        cancel.put("orderId", id);
        cancel.put("validUntil", GatewayHarness.CLOCK + 10);
        cancel.put("signature", h.signCancelOrder(account, false, id, GatewayHarness.CLOCK + 10));
        assertThat(h.call("perp_cancelOrder", cancel).has("result")).isTrue();
      }
    }
  }
}
