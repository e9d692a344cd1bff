package io.zkperp.node.v3;

import static io.zkperp.node.v3.V3NodeItSupport.CONFIRMATIONS;
import static io.zkperp.node.v3.V3NodeItSupport.FINALITY;
import static io.zkperp.node.v3.V3NodeItSupport.MARKET;
import static io.zkperp.node.v3.V3NodeItSupport.PRICE;
import static io.zkperp.node.v3.V3NodeItSupport.SIZE;
import static io.zkperp.node.v3.V3NodeItSupport.anvil;
import static io.zkperp.node.v3.V3NodeItSupport.await;
import static io.zkperp.node.v3.V3NodeItSupport.config;
import static io.zkperp.node.v3.V3NodeItSupport.deployWithDeposits;
import static io.zkperp.node.v3.V3NodeItSupport.genesis;
import static io.zkperp.node.v3.V3NodeItSupport.listMarket;
import static io.zkperp.node.v3.V3NodeItSupport.mine;
import static io.zkperp.node.v3.V3NodeItSupport.price;
import static io.zkperp.node.v3.V3NodeItSupport.startAnvil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.client.Order;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.L1Session;
import io.zkperp.node.DashboardBrowser;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.RollupNode;
import io.zkperp.node.v3.V3NodeItSupport.Rpc;
import io.zkperp.protocol.message.OrderMessage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The dashboard on a format v3 node ({@link NodeConfig#withV3}, what {@code RollupNodeMain
 * --settlement v3} opens): a fresh anvil (chain 31337) with the fixture rollup ({@link
 * FixtureRollup}, whose domain the cached v3-tiny keys serve), real v3-tiny Groth16 proofs by a
 * prover worker process, Debian's Chromium driven by Playwright ({@link DashboardBrowser}). The
 * page is opened before anything is credited; two traders' L1 deposits are credited; the page is
 * given the maker's read grant (made by the SDK, {@link ZkPerpClient#readGrant}); the operator
 * prices market 2 (listed before the page opens); the maker's sell and the taker's crossing buy are
 * signed and placed through the SDK ({@link ZkPerpClient#placeOrder}). The fill appears in the
 * page's time to finality, and its row is watched every 100 ms as it advances: accepted → in batch
 * → proven → committed on L1 → FINAL, each state asserted in the DOM while it holds. L1 is held
 * still twice so that the short states are seen for certain: anvil's automine is off while the
 * fill's batch is proven (the commit waits in the mempool: the row stays "proven"), and no block is
 * mined between the commit and the finality blocks (the row stays "committed"). The operator view
 * shows the fill's batch FINAL with its L1 transaction and the gas its commit used, both equal to
 * what {@code perp_getBatch} and the L1 receipt say. Screenshots: {@code
 * target/dashboard-it/v3-*.png}. The test's thread.
 */
class DashboardV3IT {
  /** An open batch waits this long for more records: the deposit, price and trade share one. */
  private static final Duration BATCH_TIME = Duration.ofSeconds(8);

  private static final List<String> ORDER =
      List.of("accepted", "SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL");

  @Test
  void aFillPlacedThroughTheSdkAdvancesToL1FinalInThePage(@TempDir Path dir) throws Exception {
    try (AnvilProcess anvil = startAnvil();
        L1Session l1 = L1Session.connect(anvil.rpcUrl())) {
      NodeConfig cfg = config(dir, anvil.rpcUrl(), BATCH_TIME);
      deployWithDeposits(l1, genesis(cfg));

      try (RollupNode node = RollupNode.open(cfg);
          DashboardBrowser page = DashboardBrowser.launch(Path.of("target", "dashboard-it"))) {
        String url = "http://127.0.0.1:" + node.gateway().port() + "/";
        Rpc rpc = new Rpc(node.gateway().port());
        listMarket(node); // the page subscribes to a listed market's book and trades
        page.go(url + "dashboard/");
        page.waitFor("document.getElementById('conn').dataset.state === 'live'", 30_000);
        page.waitFor("document.getElementById('op-status').dataset.settling === 'true'", 15_000);

        mine(anvil, CONFIRMATIONS);
        await("both deposits credited", () -> node.accounts().nextPriorityIndex() == 2, 30);
        ZkPerpClient client = new ZkPerpClient(URI.create(url));
        assertThat(client.domain()).as("perp_getDomain").isEqualTo(FixtureChain.DOMAIN);
        int maker = OrderScenario.MAKER;
        page.fill("#grant", client.readGrant(FixtureChain.key(maker), maker).toString());
        page.click("#grant-apply");
        page.waitFor("document.getElementById('account-summary').textContent !== ''", 15_000);
        assertThat(page.eval("document.getElementById('grant-error').textContent")).isEmpty();

        price(node, System.currentTimeMillis() / 1000);
        JsonNode ask =
            client.placeOrder(
                FixtureChain.key(maker),
                Order.limit(maker, MARKET, OrderMessage.Side.SELL, SIZE, PRICE).withNonce(1));
        assertThat(ask.path("status").asText()).as(ask.toString()).isEqualTo("OPEN");
        // the resting sell in the page: the account stream is live before the fill
        page.waitFor(
            "!!document.querySelector('#pending-orders tr[data-order=\""
                + ask.path("orderId").asLong()
                + "\"]')",
            15_000);
        JsonNode bid =
            client.placeOrder(
                FixtureChain.key(OrderScenario.TAKER),
                Order.limit(OrderScenario.TAKER, MARKET, OrderMessage.Side.BUY, SIZE, PRICE)
                    .withNonce(1));
        assertThat(bid.path("status").asText()).as(bid.toString()).isEqualTo("FILLED");
        long fillSeq = bid.path("journalSeq").asLong();

        DashboardBrowser.FinalityRow row = new DashboardBrowser.FinalityRow(page, fillSeq);
        page.waitFor("!!" + row.js, 15_000);
        assertThat(page.eval(row.js + ".querySelector('td.state').textContent"))
            .isEqualTo("accepted");
        assertThat(page.eval(row.js + ".cells[1].textContent"))
            .isEqualTo("SELL 10 @ 1,000 (market " + MARKET + ")");
        page.shot("v3-1-fill-accepted");

        row.follow(Set.of("SEALED", "PROVING"), 60);
        long batch = Long.parseLong(page.eval(row.js + ".dataset.batch"));
        assertThat(row.label()).isEqualTo("in batch " + batch);
        page.shot("v3-2-in-batch");

        // hold L1 still before the fill's batch is proven: its commit then waits in the mempool
        for (long b = 1; b < batch; b++) {
          long earlier = b;
          await(
              "batch " + earlier + " committed",
              () -> Set.of("COMMITTED", "FINAL").contains(batchStatus(rpc, earlier)),
              180);
        }
        anvil(anvil, "evm_setAutomine", List.of(false));
        try {
          assertThat(batchStatus(rpc, batch))
              .as("the fill's batch is still being proven when L1 is held")
              .isIn("SEALED", "PROVING");
          row.follow(Set.of("PROVEN"), 240);
          assertThat(row.label()).isEqualTo("proven " + batch);
          Thread.sleep(1_000);
          assertThat(row.status()).as("no commit mined while L1 is held").isEqualTo("PROVEN");
          page.shot("v3-3-proven");
        } finally {
          anvil(anvil, "evm_setAutomine", List.of(true));
        }
        mine(anvil, 1); // the commit waiting in the mempool (if sent later, automine mines it)

        row.follow(Set.of("COMMITTED"), 60);
        assertThat(row.label()).isEqualTo("committed " + batch);
        JsonNode committed = rpc.call("perp_getBatch", Map.of("batch", batch)).path("result");
        String txHash = committed.path("l1TxHash").asText();
        assertThat(txHash).startsWith("0x");
        assertThat(page.eval(row.js + ".querySelector('td.committed').textContent"))
            .isNotEqualTo("—");
        page.shot("v3-4-committed");

        mine(anvil, FINALITY);
        row.follow(Set.of("FINAL"), 60);
        assertThat(row.label()).isEqualTo("final " + batch);
        assertThat(page.eval(row.js + ".querySelector('td.final').textContent")).isNotEqualTo("—");
        List<String> seen = row.seen;
        assertThat(seen).as("states seen").allMatch(ORDER::contains);
        assertThat(seen.stream().map(ORDER::indexOf).toList()).as("seen %s", seen).isSorted();
        assertThat(seen).as("seen").contains("accepted", "PROVEN", "COMMITTED", "FINAL");
        assertThat(seen).as("in batch").containsAnyOf("SEALED", "PROVING");

        // the operator view: the fill's batch FINAL with its L1 transaction and its commit's gas
        JsonNode fin = rpc.call("perp_getBatch", Map.of("batch", batch)).path("result");
        assertThat(fin.path("status").asText()).isEqualTo("FINAL");
        assertThat(fin.path("lastJournalSeq").asLong()).isGreaterThanOrEqualTo(fillSeq);
        TransactionReceipt receipt =
            l1.web3j()
                .ethGetTransactionReceipt(txHash)
                .send()
                .getTransactionReceipt()
                .orElseThrow();
        long gas = receipt.getGasUsed().longValueExact();
        assertThat(gas).isPositive();
        assertThat(fin.path("l1GasUsed").asLong()).as("perp_getBatch's gas").isEqualTo(gas);
        String opRow = "document.querySelector('#op-batches tr[data-batch=\"" + batch + "\"]')";
        page.waitFor("!!" + opRow + " && " + opRow + ".dataset.status === 'FINAL'", 15_000);
        assertThat(page.eval(opRow + ".querySelector('td.l1').title")).isEqualTo(txHash);
        assertThat(page.eval(opRow + ".querySelector('td.gas').dataset.raw"))
            .isEqualTo(Long.toString(gas));
        // the gauges catch up (polled every 2 s): every batch final, L1 confirmations shown
        page.waitFor(
            "document.querySelector('#op-gauges tr[data-key=\"batches-FINAL\"] td').textContent"
                + " === '"
                + batch
                + "' && "
                + opRow
                + ".querySelector('td.conf').dataset.raw >= "
                + FINALITY,
            15_000);
        page.shot("v3-5-final");
        assertThat(page.errors()).as("errors in the page").isEmpty();
      }
    }
  }

  private static String batchStatus(Rpc rpc, long batch) {
    try {
      return rpc.call("perp_getBatch", Map.of("batch", batch))
          .path("result")
          .path("status")
          .asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
