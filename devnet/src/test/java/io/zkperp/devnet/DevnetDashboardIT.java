package io.zkperp.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.identity.WalletOnboarding;
import io.zkperp.client.l1.TraderL1;
import io.zkperp.node.DashboardBrowser;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.OrderMessage.Side;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard of a running devnet, in Debian's Chromium driven by Playwright ({@link
 * DashboardBrowser}, shared from the node's test-jar): a format v3 devnet started in this JVM with
 * {@code ./zk devnet}'s defaults as {@link DevnetWalkthroughIT} starts it (v3-tiny, markets 1 and
 * 2, the oracle feeder and the market maker running, real proofs by a prover worker process, a real
 * anvil). The page the devnet's node serves at {@code /dashboard/} is opened on market 2 and shows
 * the market maker's quotes as the engine's book has them, at the same book sequence, and its best
 * levels are the market maker's own resting orders ({@code perp_getOpenOrders} with the maker's key
 * from {@code devnet.json}). A trader onboarded through the SDK (the L2 key derived from the
 * wallet's EIP-712 signature, {@link WalletOnboarding}) deposits on L1 through the SDK ({@link
 * TraderL1#deposit}), gives the page its read grant, and sells into the maker's bid with a crossing
 * IOC placed through the SDK ({@link ZkPerpClient#placeOrder}). The page's book then moves on (a
 * later sequence, again the engine's); the fill appears in the page's time to finality and its row
 * is read every 100 ms until FINAL (L1 final), each state asserted in the DOM as it is seen, only
 * forward; the liquidation price the page shows for the trader's short equals {@code
 * perp_getAccount}'s (the risk engine's) at the same account sequence. Unlike {@code node}'s {@code
 * DashboardV3IT} nothing holds L1 still (the devnet's anvil mines a block a second), so the short
 * states (proven, committed) may pass between two reads: the test requires the row to be seen
 * accepted or in a batch before it is seen on L1. Screenshots: {@code
 * devnet/target/dashboard-it/devnet-*.png}. The test's thread.
 */
class DevnetDashboardIT {
  private static final long TUSD = 1_000_000L;
  private static final int MARKET = 2;
  private static final long SIZE = 3;
  private static final int TRADER_DEV_ACCOUNT = 4;
  private static final List<String> ORDER =
      List.of("accepted", "SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL");

  @TempDir Path dir;

  @Test
  void aFillPlacedThroughTheSdkAdvancesToL1FinalInTheDevnetsDashboard() throws Exception {
    DevnetOptions options =
        DevnetIT.options(
            dir.resolve("devnet"),
            List.of(1, MARKET),
            DevnetOptions.V3,
            "v3-tiny",
            Duration.ofMillis(DevnetMain.v3FeedMillis("v3-tiny", 2)));
    List<String> progress = new ArrayList<>();
    // the browser first: without Chromium the test is skipped before a devnet is started
    try (DashboardBrowser page = DashboardBrowser.launch(Path.of("target", "dashboard-it"));
        Devnet d = Devnet.start(options, progress::add)) {
      ZkPerpClient client = new ZkPerpClient(URI.create(d.rpcUrl()));
      page.go(d.rpcUrl() + (d.rpcUrl().endsWith("/") ? "" : "/") + "dashboard/");
      page.waitFor("document.getElementById('conn').dataset.state === 'live'", 30_000);
      page.waitFor("document.getElementById('op-status').dataset.settling === 'true'", 15_000);
      // market 2, as the walkthrough trades: the page resubscribes its streams to it
      page.eval(
          "(() => { const s = document.getElementById('market'); s.value = '"
              + MARKET
              + "'; s.dispatchEvent(new Event('change')); return s.value; })()");
      page.waitFor(
          "document.getElementById('book-seq').textContent.startsWith('market " + MARKET + ",')",
          30_000);
      page.waitFor("document.getElementById('conn').dataset.state === 'live'", 30_000);

      // the book: the market maker's quotes on both sides, as the engine's book has them
      DevnetIT.await(
          "the market maker's quotes on market " + MARKET,
          () -> {
            JsonNode b = client.getOrderBook(MARKET, 5);
            return b.path("asks").size() > 0 && b.path("bids").size() > 0;
          },
          120);
      // ... and the levels the page shows are the market maker's own resting orders
      EdDsaPrivateKey makerKey =
          EdDsaPrivateKey.fromSeed(HexFormat.of().parseHex(d.state().marketMakerSeed()));
      int maker = Math.toIntExact(d.marketMakerAccount());
      long bookSeqBefore = -1;
      for (int attempt = 0; attempt < 50 && bookSeqBefore < 0; attempt++) {
        JsonNode book = assertPageBookIsTheEngines(page, client);
        JsonNode quotes = client.getOpenOrders(makerKey, maker);
        if (book.path("sequence").asLong()
            == client.getOrderBook(MARKET, 5).path("sequence").asLong()) {
          assertThat(makersSize(quotes, "BUY", book.at("/bids/0/price").asLong()))
              .as("the maker's bids at the best bid: %s", quotes)
              .isEqualTo(book.at("/bids/0/size").asLong());
          assertThat(makersSize(quotes, "SELL", book.at("/asks/0/price").asLong()))
              .as("the maker's asks at the best ask: %s", quotes)
              .isEqualTo(book.at("/asks/0/size").asLong());
          bookSeqBefore = book.path("sequence").asLong();
        }
      }
      assertThat(bookSeqBefore)
          .as("a book the maker did not requote while it was read")
          .isPositive();
      page.shot("devnet-1-book");

      // a trader onboarded and funded through the SDK
      SdkTrader trader = SdkTrader.onboardAndDeposit(d, client, TRADER_DEV_ACCOUNT, 500 * TUSD);
      EdDsaPrivateKey key = trader.key();
      int account = trader.account();
      page.fill("#grant", client.readGrant(key, account).toString());
      page.click("#grant-apply");
      page.waitFor("document.getElementById('account-summary').textContent !== ''", 15_000);
      assertThat(page.eval("document.getElementById('grant-error').textContent")).isEmpty();

      // a crossing IOC sell into the maker's bid (again if it lands while the maker requotes)
      JsonNode placed = trader.crossingIoc(client, MARKET, Side.SELL, SIZE, 2);
      assertThat(placed.path("filled").asLong()).as(placed.toString()).isEqualTo(SIZE);
      assertThat(placed.path("fills").size()).as(placed.toString()).isEqualTo(1);
      long fillPrice = placed.at("/fills/0/price").asLong();
      long fillSeq = placed.path("journalSeq").asLong();

      // the fill in the page's time to finality, accepted (or already in a batch)
      Row row = new Row(page, fillSeq);
      page.waitFor("!!" + row.js, 15_000);
      assertThat(page.eval(row.js + ".cells[1].textContent"))
          .isEqualTo(
              String.format(Locale.US, "SELL %d @ %,d (market %d)", SIZE, fillPrice, MARKET));
      row.see();
      assertThat(row.seen.getFirst())
          .as("the fill's first state in the page")
          .isIn("accepted", "SEALED", "PROVING");
      page.shot("devnet-2-fill-" + row.seen.getFirst());

      // the book moved on from the maker's quotes (the fill, the requote), again the engine's
      long bookSeqAfter = assertPageBookIsTheEngines(page, client).path("sequence").asLong();
      assertThat(bookSeqAfter).as("the page's book sequence").isGreaterThan(bookSeqBefore);

      // the short's liquidation price in the page is the engine's
      long liq = assertLiquidationPriceIsTheEngines(page, client, key, account);
      assertThat(liq).as("a short is liquidated above its entry").isGreaterThan(fillPrice << 32);
      page.shot("devnet-3-position");

      // the fill's row until FINAL on L1, every state read in the DOM, only forward
      row.follow(
          Set.of("FINAL"), Math.toIntExact(DevnetWalkthroughIT.FILL_FINAL_TIMEOUT.toSeconds()));
      long batch = Long.parseLong(page.eval(row.js + ".dataset.batch"));
      assertThat(batch).isPositive();
      assertThat(row.label()).isEqualTo("final " + batch);
      assertThat(page.eval(row.js + ".querySelector('td.final').textContent")).isNotEqualTo("—");
      List<String> seen = row.seen;
      assertThat(seen).as("states seen").allMatch(ORDER::contains);
      assertThat(seen.stream().map(ORDER::indexOf).toList()).as("seen %s", seen).isSorted();
      assertThat(seen).as("seen").doesNotHaveDuplicates().contains("FINAL");
      assertThat(seen.getFirst())
          .as("seen %s: before its batch was on L1", seen)
          .isNotIn("COMMITTED", "FINAL");
      JsonNode settlement = client.getSettlement(fillSeq);
      assertThat(settlement.path("status").asText()).isEqualTo("FINAL");
      assertThat(settlement.path("batch").asLong()).isEqualTo(batch);
      // the operator view: the fill's batch FINAL with the L1 transaction perp_getSettlement names
      String opRow = "document.querySelector('#op-batches tr[data-batch=\"" + batch + "\"]')";
      page.waitFor("!!" + opRow + " && " + opRow + ".dataset.status === 'FINAL'", 15_000);
      assertThat(page.eval(opRow + ".querySelector('td.l1').title"))
          .isEqualTo(settlement.path("l1TxHash").asText());
      page.shot("devnet-4-final");
      System.out.println("DevnetDashboardIT: the fill's states in the page " + seen);
      assertThat(page.errors()).as("errors in the page").isEmpty();
    }
  }

  /**
   * Waits until the page's book is rendered at the sequence perp_getOrderBook answers, then checks
   * that its best bid and ask (price and size) are the engine's. The maker requotes as prices move,
   * so it retries until both meet.
   *
   * @return the engine's book the page showed
   */
  private static JsonNode assertPageBookIsTheEngines(DashboardBrowser page, ZkPerpClient client)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String shown = page.eval("document.getElementById('book-seq').textContent");
      JsonNode engine = client.getOrderBook(MARKET, 5);
      String expected = "market " + MARKET + ", sequence " + engine.path("sequence").asLong();
      if (shown.equals(expected)
          && engine.path("bids").size() > 0
          && engine.path("asks").size() > 0) {
        assertThat(best(page, "bids"))
            .as("the page's best bid at %s", shown)
            .isEqualTo(level(engine.path("bids").get(0)));
        assertThat(best(page, "asks"))
            .as("the page's best ask at %s", shown)
            .isEqualTo(level(engine.path("asks").get(0)));
        return engine;
      }
      if (System.nanoTime() > deadline) {
        fail("the page's book (%s) never met the engine's (%s)", shown, engine);
      }
      Thread.sleep(100);
    }
  }

  /** The remaining size of the maker's open orders on {@code side} at {@code price} in market 2. */
  private static long makersSize(JsonNode openOrders, String side, long price) {
    long size = 0;
    for (JsonNode o : openOrders) {
      if (o.path("market").asInt() == MARKET
          && o.path("side").asText().equals(side)
          && o.path("price").asLong() == price) {
        size += o.path("remaining").asLong();
      }
    }
    return size;
  }

  private static String best(DashboardBrowser page, String side) throws Exception {
    String tr = "document.querySelector('#" + side + " tbody tr')";
    return page.eval(
        "!" + tr + " ? 'none' : " + tr + ".dataset.price + ' x ' + " + tr + ".dataset.size");
  }

  private static String level(JsonNode l) {
    return l.path("price").asLong() + " x " + l.path("size").asLong();
  }

  /**
   * Waits until the page's liquidation price of the trader's market-2 position was rendered at the
   * account sequence perp_getAccount answers, then checks that both are the same integer (oracle
   * ticks move the account's sequence, so it retries until they meet).
   */
  private static long assertLiquidationPriceIsTheEngines(
      DashboardBrowser page, ZkPerpClient client, EdDsaPrivateKey key, int account)
      throws Exception {
    String cell = "document.querySelector('#positions tr[data-market=\"" + MARKET + "\"] td.liq')";
    page.waitFor("!!" + cell, 15_000);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String pageSeq = page.eval(cell + ".dataset.seq");
      String pageRaw = page.eval(cell + ".dataset.raw");
      JsonNode a = client.getAccount(key, account);
      JsonNode position = null;
      for (JsonNode x : a.path("positions")) {
        if (x.path("market").asInt() == MARKET) {
          position = x;
        }
      }
      assertThat(position).as("the trader's position in market %d: %s", MARKET, a).isNotNull();
      assertThat(position.path("size").asLong()).isEqualTo(-SIZE);
      JsonNode engine = position.path("liquidationPrice");
      assertThat(engine.isIntegralNumber()).as("liquidationPrice %s", engine).isTrue();
      if (pageSeq.equals(a.path("sequence").asText())) {
        assertThat(pageRaw).as("the page's liquidation price").isEqualTo(engine.asText());
        return engine.asLong();
      }
      if (System.nanoTime() > deadline) {
        fail("the page's account sequence %s never met the node's %s", pageSeq, a.path("sequence"));
      }
      Thread.sleep(100);
    }
  }

  /**
   * The fill's row in the page's time to finality ({@link DashboardBrowser.FinalityRow}), checking
   * on each new state that the label the page shows is the one that state has.
   */
  private static final class Row extends DashboardBrowser.FinalityRow {
    Row(DashboardBrowser page, long journalSeq) {
      super(page, journalSeq);
    }

    @Override
    protected void newState(String st) throws Exception {
      String label = label();
      String batch = page().eval(js + ".dataset.batch");
      String expected =
          switch (st) {
            case "accepted" -> "accepted";
            case "SEALED", "PROVING" -> "in batch " + batch;
            case "PROVEN" -> "proven " + batch;
            case "COMMITTED" -> "committed " + batch;
            case "FINAL" -> "final " + batch;
            default -> fail("unknown state %s", st);
          };
      // the page renders state and label together; a change between the two reads is re-read
      if (!label.equals(expected) && st.equals(status())) {
        assertThat(label).as("the row's label in state %s", st).isEqualTo(expected);
      }
    }
  }
}
