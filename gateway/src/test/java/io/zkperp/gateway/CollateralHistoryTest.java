package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.TransferCollateral;
import io.zkperp.sequencer.command.WithdrawCollateral;
import io.zkperp.sequencer.risk.RiskEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code perp_getCollateralHistory} and {@code perp_getFundingPayments} over real HTTP on a real
 * core with a risk engine (two fee tiers, one with a maker rebate; market 1 with signed prices and
 * derived funding, market 2 with operator funding ticks) and a real RocksDB history: deposits,
 * transfers both ways, 280 steps of random orders across more than an hour of core time (fills with
 * fees, funding ticks on both markets), a withdrawal. For every account and the insurance fund, the
 * changes paged 7 at a time are newest first, each {@code balanceAfter} is the previous one plus
 * its {@code amount}, and they add up to the engine's own collateral; every funding change is a
 * funding payment, every fill's cash flow and fee is a change at its record. The crash run ({@link
 * AccountStreamTest}'s orders with collateral 40,000 and market 2 falling 2.5% a minute more) adds
 * liquidation fees and insurance takeovers (the fund's changes add up too); a third case
 * deleverages. Bad parameters and grants are typed errors without a result.
 */
class CollateralHistoryTest {
  private static final int FUND = RiskEngine.INSURANCE_FUND;

  @TempDir Path dir;

  @ParameterizedTest(name = "crash={0}")
  @ValueSource(booleans = {false, true})
  void collateralChangesAddUpToTheEnginesCollateralAndPageNewestFirst(boolean crash)
      throws Exception {
    long start = crash ? 40_000 : 2_000_000;
    GatewayHarness h =
        new GatewayHarness(
            dir,
            GatewayConfig.defaults(0),
            AccountStreamTest.engine(),
            AccountStreamTest.setup(start));
    AccountStreamTest.drift = crash ? -25 : 0;
    Map<Integer, List<JsonNode>> changes = new HashMap<>();
    Map<Integer, List<JsonNode>> payments = new HashMap<>();
    Map<Integer, List<JsonNode>> fills = new HashMap<>();
    List<Integer> accounts = new ArrayList<>();
    try {
      if (!crash) { // the crash run replays AccountStreamTest's, which liquidates
        h.submit(new DepositCollateral(0, 12_345));
        h.submit(new TransferCollateral(0, 1, 2_000));
        h.submit(new TransferCollateral(2, 0, 700));
      }
      SplittableRandom rnd = new SplittableRandom(42);
      long[] nonce = new long[AccountStreamTest.ACCOUNTS];
      long[] price = {0, 1_000, 1_000};
      long[] now = {1_000};
      AccountStreamTest.run(h, rnd, nonce, price, now, 0, 280);
      if (!crash) {
        h.submit(new WithdrawCollateral(0, 5_000));
      }
      for (int a = 0; a < AccountStreamTest.ACCOUNTS; a++) {
        accounts.add(a);
      }
      accounts.add(FUND);
      for (int a : accounts) {
        changes.put(a, all(h, "perp_getCollateralHistory", h.account(a), "changes", 7));
        payments.put(a, all(h, "perp_getFundingPayments", h.account(a), "payments", 5));
        fills.put(a, all(h, "perp_getFills", h.account(a), "fills", 1000));
      }
      // the market filter: the same payments, of one market
      ObjectNode onlyTwo = h.account(0).put("market", 2);
      assertThat(all(h, "perp_getFundingPayments", onlyTwo, "payments", 3))
          .containsExactlyElementsOf(
              payments.get(0).stream().filter(p -> p.path("market").asInt() == 2).toList());
      checkErrors(h);
    } finally {
      h.close();
      AccountStreamTest.drift = 0;
    }
    RiskEngine risk = h.risk; // the core thread is gone: the engine can be read
    Set<String> kinds = new TreeSet<>();
    Set<Integer> fundedMarkets = new TreeSet<>();
    for (int a : accounts) {
      List<JsonNode> c = changes.get(a);
      long collateral = a == FUND ? risk.insuranceFund().collateral() : risk.collateral(a);
      assertThat(sumAndChain(c))
          .as("Σ changes of %d = the engine's collateral", a)
          .isEqualTo(collateral);
      c.forEach(x -> kinds.add(x.path("kind").asText()));
      // every FUNDING change is a funding payment (same record, market, amount), and nothing else
      List<String> fundingChanges = new ArrayList<>();
      for (JsonNode x : c) {
        if (x.path("kind").asText().equals("FUNDING")) {
          fundingChanges.add(recordMarketAmount(x));
        }
      }
      List<String> paid = new ArrayList<>();
      for (JsonNode p : payments.get(a)) {
        paid.add(recordMarketAmount(p));
        assertThat(p.path("indexAfter").asLong()).isNotEqualTo(p.path("indexBefore").asLong());
        assertThat(p.path("amount").asLong()).isNotZero();
        fundedMarkets.add(p.path("market").asInt());
      }
      assertThat(fundingChanges).as("funding changes of %d", a).isEqualTo(paid);
      assertThat(newestFirst(payments.get(a))).isTrue();
      checkFills(a, fills.get(a), c);
    }
    List<JsonNode> zero = changes.get(0);
    assertThat(zero.getLast().path("kind").asText()).as("the oldest change").isEqualTo("DEPOSIT");
    assertThat(zero.getLast().path("amount").asLong()).isEqualTo(start);
    assertThat(amounts(changes.get(FUND), "INSURANCE_TOP_UP")).containsExactly(100_000L);
    assertThat(kinds).contains("DEPOSIT", "TRADE", "FEE", "FUNDING");
    assertThat(fundedMarkets).as("funding paid on both markets").containsExactly(1, 2);
    System.out.printf("collateral change kinds (crash=%s): %s%n", crash, kinds);
    if (crash) {
      assertThat(kinds)
          .as("liquidations: the fund's fees and takeovers")
          .contains("LIQUIDATION_FEE", "INSURANCE_TAKEOVER");
    } else {
      assertThat(amounts(zero, "DEPOSIT")).containsExactly(12_345L, start);
      assertThat(amounts(zero, "TRANSFER_OUT")).containsExactly(-2_000L);
      assertThat(amounts(zero, "TRANSFER_IN")).containsExactly(700L);
      assertThat(amounts(changes.get(1), "TRANSFER_IN")).containsExactly(2_000L);
      assertThat(
              changes.get(2).stream().filter(x -> x.path("kind").asText().equals("TRANSFER_OUT")))
          .singleElement()
          .satisfies(x -> assertThat(x.path("counterparty").asInt()).isZero());
      assertThat(amounts(zero, "WITHDRAWAL")).containsExactly(-5_000L);
      assertThat(zero.getFirst().path("kind").asText()).isEqualTo("WITHDRAWAL");
      // the rebate tier (accounts 3 and 4) gets positive fees as a maker
      assertThat(changes.get(3).stream().map(x -> x.path("kind").asText())).contains("FEE");
    }
  }

  /**
   * Deleveraging: account 0 is long 90 at 1000 on 13,000 collateral, the price falls to 850 (equity
   * below 0), the book is empty and the insurance fund has nothing, so the position is closed
   * against account 1's short at the bankruptcy price: a DELEVERAGING change of each, naming the
   * other, and both accounts' changes still add up to the engine's collateral.
   */
  @org.junit.jupiter.api.Test
  void deleveragingIsAChangeOfBothAccountsThatAddsUp() throws Exception {
    GatewayHarness h =
        new GatewayHarness(
            dir,
            GatewayConfig.defaults(0),
            AccountStreamTest.engine(),
            List.of(
                new io.zkperp.sequencer.command.Tick(1_000),
                new DepositCollateral(0, 13_000),
                new DepositCollateral(1, 1_000_000),
                new io.zkperp.sequencer.command.OraclePrice(2, 1_000, 1_000)));
    Map<Integer, List<JsonNode>> changes = new HashMap<>();
    try {
      assertThat(
              h.call("perp_placeOrder", h.order(1, 2, io.zkperp.sequencer.Side.SELL, 90, 1000, 1))
                  .has("result"))
          .isTrue();
      JsonNode buy =
          h.call("perp_placeOrder", h.order(0, 2, io.zkperp.sequencer.Side.BUY, 90, 1000, 1));
      assertThat(buy.path("result").path("status").asText()).as(buy.toString()).isEqualTo("FILLED");
      h.submit(new io.zkperp.sequencer.command.Tick(1_060));
      h.submit(new io.zkperp.sequencer.command.OraclePrice(2, 850, 1_060));
      for (int a : List.of(0, 1, FUND)) {
        changes.put(a, all(h, "perp_getCollateralHistory", h.account(a), "changes", 2));
      }
    } finally {
      h.close();
    }
    RiskEngine risk = h.risk;
    for (int a : List.of(0, 1)) {
      assertThat(sumAndChain(changes.get(a))).as("Σ of %d", a).isEqualTo(risk.collateral(a));
      JsonNode newest = changes.get(a).getFirst();
      assertThat(newest.path("kind").asText()).as("%s", changes.get(a)).isEqualTo("DELEVERAGING");
      assertThat(newest.path("counterparty").asInt()).isEqualTo(1 - a);
      assertThat(newest.path("market").asInt()).isEqualTo(2);
      assertThat(risk.position(a, 2)).isZero();
    }
    assertThat(sumAndChain(changes.get(FUND))).isEqualTo(risk.insuranceFund().collateral());
  }

  /**
   * Checks newest first and the balance chain (oldest first: each balanceAfter = the previous one +
   * amount, from 0); returns the last balance.
   */
  static long sumAndChain(List<JsonNode> newestFirst) {
    assertThat(newestFirst(newestFirst)).as("newest first").isTrue();
    long balance = 0;
    for (JsonNode x : newestFirst.reversed()) {
      assertThat(x.path("amount").asLong()).isNotZero();
      balance = Math.addExact(balance, x.path("amount").asLong());
      assertThat(x.path("balanceAfter").asLong()).as("balance after %s", x).isEqualTo(balance);
    }
    return balance;
  }

  /** Strictly descending (journalSeq, index). */
  static boolean newestFirst(List<JsonNode> entries) {
    for (int i = 1; i < entries.size(); i++) {
      JsonNode n = entries.get(i - 1);
      JsonNode o = entries.get(i);
      long ns = n.path("journalSeq").asLong();
      long os = o.path("journalSeq").asLong();
      if (!(ns > os || (ns == os && n.path("index").asInt() > o.path("index").asInt()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Each record's fills give its TRADE changes (−signed size × price) and FEE changes (−fee), and
   * no TRADE or FEE change is without a fill.
   */
  private static void checkFills(int account, List<JsonNode> fills, List<JsonNode> changes) {
    Map<Long, List<Long>> trades = new TreeMap<>();
    Map<Long, List<Long>> fees = new TreeMap<>();
    for (JsonNode f : fills) {
      long size = f.path("size").asLong();
      long signed = f.path("side").asText().equals("BUY") ? size : -size;
      long seq = f.path("journalSeq").asLong();
      trades.computeIfAbsent(seq, k -> new ArrayList<>()).add(-signed * f.path("price").asLong());
      long fee = f.path("fee").asLong();
      if (fee != 0) {
        fees.computeIfAbsent(seq, k -> new ArrayList<>()).add(-fee);
      }
    }
    Map<Long, List<Long>> tradeChanges = new TreeMap<>();
    Map<Long, List<Long>> feeChanges = new TreeMap<>();
    for (JsonNode x : changes) {
      String kind = x.path("kind").asText();
      long seq = x.path("journalSeq").asLong();
      if (kind.equals("TRADE")) {
        tradeChanges.computeIfAbsent(seq, k -> new ArrayList<>()).add(x.path("amount").asLong());
      } else if (kind.equals("FEE")) {
        feeChanges.computeIfAbsent(seq, k -> new ArrayList<>()).add(x.path("amount").asLong());
      }
    }
    for (Map<Long, List<Long>> m : List.of(trades, fees, tradeChanges, feeChanges)) {
      m.values().forEach(l -> l.sort(null));
    }
    assertThat(tradeChanges).as("trades of %d", account).isEqualTo(trades);
    assertThat(feeChanges).as("fees of %d", account).isEqualTo(fees);
  }

  /** {@code journalSeq/market/amount} of a collateral change or a funding payment. */
  private static String recordMarketAmount(JsonNode entry) {
    return entry.path("journalSeq").asLong()
        + "/"
        + entry.path("market").asInt()
        + "/"
        + entry.path("amount").asLong();
  }

  private static List<Long> amounts(List<JsonNode> changes, String kind) {
    return changes.stream()
        .filter(x -> x.path("kind").asText().equals(kind))
        .map(x -> x.path("amount").asLong())
        .toList();
  }

  /** Every entry of a listing, page by page ({@code limit} per page). */
  static List<JsonNode> all(
      GatewayHarness h, String method, ObjectNode params, String field, int limit)
      throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      ObjectNode p = params.deepCopy().put("limit", limit);
      if (cursor != null) {
        p.put("cursor", cursor);
      }
      JsonNode r = h.call(method, p);
      assertThat(r.has("result")).as(r.toString()).isTrue();
      JsonNode items = r.path("result").path(field);
      items.forEach(out::add);
      JsonNode next = r.path("result").path("nextCursor");
      cursor = next.isNull() ? null : next.asText();
      if (cursor != null) {
        assertThat(items).hasSize(limit);
      }
      pages++;
    } while (cursor != null);
    assertThat(pages).isGreaterThanOrEqualTo(1);
    return out;
  }

  /** Typed errors for bad parameters and grants; nothing of the account in them. */
  private static void checkErrors(GatewayHarness h) throws Exception {
    for (String m : List.of("perp_getCollateralHistory", "perp_getFundingPayments")) {
      assertThat(code(h, m, h.account(0).put("cursor", "12"))).isEqualTo(-32602);
      assertThat(code(h, m, h.account(0).put("limit", 0))).isEqualTo(-32602);
      assertThat(code(h, m, h.account(0).put("limit", 1001))).isEqualTo(-32602);
      assertThat(code(h, m, GatewayHarness.MAPPER.createObjectNode().put("account", 0)))
          .isEqualTo(RpcError.READ_AUTH_REQUIRED.code());
      ObjectNode other = GatewayHarness.MAPPER.createObjectNode().put("account", 0);
      other.set("auth", h.grant(1));
      assertThat(code(h, m, other)).isNotZero();
    }
    assertThat(code(h, "perp_getFundingPayments", h.account(0).put("market", 9)))
        .isEqualTo(1100); // UNKNOWN_MARKET
    JsonNode doc = h.call("rpc.discover", null).path("result");
    int found = 0;
    for (JsonNode m : doc.path("methods")) {
      String name = m.path("name").asText();
      JsonNode props = m.path("result").path("schema").path("properties");
      if (name.equals("perp_getCollateralHistory")) {
        assertThat(props.path("changes").path("items").path("properties").has("balanceAfter"))
            .isTrue();
        found++;
      } else if (name.equals("perp_getFundingPayments")) {
        assertThat(props.path("payments").path("items").path("properties").has("indexBefore"))
            .isTrue();
        found++;
      }
    }
    assertThat(found).as("both methods in the OpenRPC document").isEqualTo(2);
  }

  /** The error code of a call that must have no result. */
  private static int code(GatewayHarness h, String method, ObjectNode params) throws Exception {
    JsonNode r = h.call(method, params);
    assertThat(r.has("result")).as("%s answered %s", method, r).isFalse();
    return r.path("error").path("code").asInt();
  }
}
