package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.l1.AnvilExtension;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.RollupDeployment;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.ReadGrantMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * The dashboard's operator view and time to finality on a settling node: a real anvil, real Groth16
 * proofs (tiny shape), Debian's Chromium driven by Playwright. Two traders deposit on L1; the page,
 * opened before the deposits are credited, shows their batch advance to FINAL in the operator view
 * with the L1 transaction and commit gas {@code perp_getBatches} gives, with the node's gauges
 * (prover lag, queue depths, L1). Then a market is priced and the traders trade: today a price is a
 * record the circuit cannot prove, so the settlement pauses there and the fill's finality shows
 * "settlement paused before it" (once the perpetual circuit proves trades, this test will assert
 * the fill reaching "in batch" and FINAL as the deposits' batch does). The ladder shows both
 * traders' positions. Screenshots go to {@code target/dashboard-it/}.
 */
class DashboardOperatorIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int MARKET = 2; // tick 1, step 1, min 1

  @RegisterExtension static final AnvilExtension anvil = new AnvilExtension();

  @TempDir Path dir;

  @Test
  void operatorViewFollowsBatchesToL1AndTheFillShowsItsFinality() throws Exception {
    ScheduledExecutorService miner = Executors.newSingleThreadScheduledExecutor();
    Credentials alice = DevAccounts.account(2);
    Credentials bob = DevAccounts.account(3);
    EdDsaPrivateKey aliceKey = NodeItSupport.l2Key(2);
    EdDsaPrivateKey bobKey = NodeItSupport.l2Key(3);
    try (L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      RollupDeployment d = NodeItSupport.deploy(l1);
      MessageDomain domain = MessageDomain.of(l1.chainId(), L1Address.fromHex(d.rollup()));
      try (RollupNode node =
              RollupNode.open(
                  NodeItSupport.config(dir, anvil.rpcUrl(), d, NodeItSupport.worker(dir)));
          DashboardBrowser page = DashboardBrowser.launch(Path.of("target", "dashboard-it"))) {
        int port = node.gateway().port();
        submit(
            node,
            DemoMarkets.MARKETS.stream()
                .filter(m -> m.market() == MARKET)
                .findFirst()
                .orElseThrow());
        page.go("http://127.0.0.1:" + port + "/dashboard/");
        page.waitFor("document.getElementById('conn').dataset.state === 'live'", 30_000);
        page.waitFor("document.getElementById('op-status').dataset.settling === 'true'", 15_000);
        assertThat(page.eval("document.getElementById('op-status').textContent"))
            .isEqualTo("settling");

        // deposits on L1 → credited → batch 1 → proven → committed → final, seen on the page
        NodeItSupport.fundAndDeposit(l1, d, alice, aliceKey, 1, 500 * NodeItSupport.TUSD);
        NodeItSupport.fundAndDeposit(l1, d, bob, bobKey, 2, 500 * NodeItSupport.TUSD);
        NodeItSupport.mineEvery(miner, anvil.rpcUrl(), 500);
        String row = "document.querySelector('#op-batches tr[data-batch=\"1\"]')";
        page.waitFor("!!" + row, 60_000);
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        while (!seen.contains("FINAL")) {
          String st = page.eval(row + ".dataset.status");
          if (seen.isEmpty() || !seen.getLast().equals(st)) {
            seen.add(st);
          }
          if (seen.size() == 2) {
            page.shot("operator-1-advancing");
          }
          assertThat(System.nanoTime())
              .as("batch 1 final on the page; seen %s", seen)
              .isLessThan(deadline);
          Thread.sleep(100);
        }
        List<String> order = List.of("SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL");
        assertThat(seen).allMatch(order::contains);
        assertThat(seen.stream().map(order::indexOf).toList()).isSorted();
        assertThat(seen.size()).as("states seen: %s", seen).isGreaterThan(1);
        JsonNode batch1 = null; // the deposits may be sealed in one batch or two (cut by time)
        for (JsonNode b : rpc(port, "perp_getBatches", "{}").path("result").path("batches")) {
          if (b.path("batch").asLong() == 1) {
            batch1 = b;
          }
        }
        assertThat(batch1).isNotNull();
        assertThat(page.eval(row + ".querySelector('td.l1').title"))
            .isEqualTo(batch1.path("l1TxHash").asText());
        assertThat(page.eval(row + ".querySelector('td.proof').textContent")).endsWith(" s");
        // the commit's gas, as the submitter recorded it from the receipt
        assertThat(batch1.path("l1GasUsed").asLong()).isPositive();
        page.waitFor(
            row
                + ".querySelector('td.gas').dataset.raw === '"
                + batch1.path("l1GasUsed").asLong()
                + "'",
            10_000);
        // the gauges agree with the node: FINAL batches and the last batch on L1 are the newest
        // FINAL batch, once the deposits' batches are all final
        long finalBatches = 0;
        long newest = 0;
        long waitUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (true) {
          JsonNode all = rpc(port, "perp_getBatches", "{}").path("result").path("batches");
          newest = all.get(0).path("batch").asLong();
          finalBatches = 0;
          for (JsonNode b : all) {
            finalBatches += b.path("status").asText().equals("FINAL") ? 1 : 0;
          }
          if (finalBatches == newest || System.nanoTime() > waitUntil) {
            break;
          }
          Thread.sleep(200);
        }
        assertThat(finalBatches).isEqualTo(newest);
        page.waitFor(
            "document.querySelector('#op-gauges tr[data-key=\"batches-FINAL\"] td').textContent"
                + " === '"
                + newest
                + "' && document.querySelector('#op-gauges tr[data-key=\"l1-batch\"] td')"
                + ".textContent === '"
                + newest
                + "'",
            10_000);
        // a final batch has at least the node's finality (1 block) of L1 confirmations
        page.waitFor(row + ".querySelector('td.conf').dataset.raw >= 1", 10_000);
        assertThat(
                page.eval(
                    "document.querySelectorAll('#op-batches tbody tr[data-status=\"FINAL\"]').length"))
            .isEqualTo(String.valueOf(newest));
        assertThat(
                page.eval(
                    "document.querySelector('#op-gauges tr[data-key=\"lag\"] td').textContent"))
            .endsWith(" s");
        page.shot("operator-2-final");

        // a priced market and a trade: the price pauses the settlement (not proven yet)
        long now = System.currentTimeMillis() / 1000;
        submit(node, new Tick(now));
        List<PriceReport> reports = new ArrayList<>();
        for (int s = 0; s < DemoMarkets.ORACLE_SIGNERS; s++) {
          reports.add(
              PriceReportSigning.sign(
                  domain, DemoMarkets.oracleKey(s), s, MARKET, 1_000L << 32, now));
        }
        submit(node, new SignedOraclePrices(MARKET, reports));
        JsonNode ask = place(port, domain, aliceKey, 1, Side.SELL, 10);
        assertThat(ask.path("result").path("status").asText()).as(ask.toString()).isEqualTo("OPEN");
        JsonNode fill = place(port, domain, bobKey, 2, Side.BUY, 10);
        assertThat(fill.path("result").path("status").asText())
            .as(fill.toString())
            .isEqualTo("FILLED");
        long fillSeq = fill.path("result").path("journalSeq").asLong();
        assertThat(
                rpc(port, "perp_getSettlement", "{\"journalSeq\":" + fillSeq + "}")
                    .path("result")
                    .path("status")
                    .asText())
            .isEqualTo("paused");

        long validUntil = System.currentTimeMillis() / 1000 + 600;
        ObjectNode grant =
            JSON.createObjectNode()
                .put("account", 2)
                .put("validUntil", validUntil)
                .put(
                    "signature",
                    "0x"
                        + HexFormat.of()
                            .formatHex(new ReadGrantMessage(2, validUntil).sign(bobKey, domain)));
        page.fill("#grant", grant.toString());
        page.click("#grant-apply");
        String fillRow = "document.querySelector('#finality tr[data-seq=\"" + fillSeq + "\"]')";
        page.waitFor("!!" + fillRow, 15_000);
        page.waitFor(fillRow + ".dataset.status === 'paused'", 15_000);
        assertThat(page.eval(fillRow + ".querySelector('td.state').textContent"))
            .isEqualTo("accepted; settlement paused before it");
        page.waitFor(
            "document.querySelector('#op-gauges tr[data-key=\"paused\"] td').textContent.startsWith('paused at journal record')",
            10_000);
        // the ladder: bob's long (10 at 1,000 on 500 TUSD: no price liquidates it) is the venue's
        // only long
        String table =
            "document.querySelector('#ladder table.ladder[data-market=\"" + MARKET + "\"]')";
        page.waitFor("!!" + table, 15_000);
        long longs = 0;
        for (JsonNode r :
            JSON.readTree(
                page.eval(
                    "JSON.stringify([..."
                        + table
                        + ".querySelectorAll('tbody tr[data-side=\"long\"]')].map(r => Number(r.dataset.size)))"))) {
          longs += r.asLong();
        }
        longs +=
            Long.parseLong(page.eval(table + ".dataset.longsBeyond"))
                + Long.parseLong(page.eval(table + ".dataset.longsNever"));
        assertThat(longs).isEqualTo(10);
        page.shot("operator-3-fill-paused");
        assertThat(page.errors()).as("errors in the page").isEmpty();
      }
    } finally {
      miner.shutdownNow();
    }
  }

  private static void submit(RollupNode node, Command c) throws Exception {
    CommandOutcome o = node.gateway().bridge().submit(c).get(10, TimeUnit.SECONDS);
    assertThat(o).as("%s", c).isInstanceOf(CommandOutcome.Accepted.class);
  }

  private static JsonNode place(
      int port, MessageDomain domain, EdDsaPrivateKey key, int account, Side side, long size)
      throws Exception {
    PlaceOrder o =
        OrderSigning.sign(
            key,
            domain,
            new PlaceOrder(
                account,
                MARKET,
                side,
                1,
                OrderType.LIMIT,
                TimeInForce.GTC,
                false,
                size,
                1_000,
                1000,
                4_000_000_000L,
                1,
                TriggerType.NONE,
                0,
                new byte[64]));
    ObjectNode p = JSON.createObjectNode();
    p.put("account", account).put("market", MARKET).put("side", side.name());
    p.put("clientOrderId", 1).put("size", size).put("price", 1_000).put("feeCap", 1000);
    p.put("expiry", 4_000_000_000L).put("nonce", 1);
    p.put("signature", "0x" + HexFormat.of().formatHex(o.signature()));
    return rpc(port, "perp_placeOrder", p.toString());
  }

  private static JsonNode rpc(int port, String method, String params) throws Exception {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }
}
