package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.TransferCollateral;
import io.zkperp.sequencer.command.WithdrawCollateral;
import io.zkperp.sequencer.journal.Recovery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo node's collateral history and funding payments across a restart, over real HTTP on its
 * real data directory: a deposit, transfers both ways, trades on both markets with fees, more than
 * two hours of the price feed (a premium sample a minute, a derived funding tick an hour on each
 * market), a withdrawal. Accounts 0 and 1 list every change and payment, 3 per page, newest first,
 * adding up to their collateral ({@code perp_getAccount}); each has funding payments on both
 * markets; after a restart (history reopened from {@code <data-dir>/history}, nothing replayed into
 * it twice) the same pages, and a change after the restart goes on from the last balance; with the
 * snapshots and the history deleted, the node rebuilds the same entries from the whole journal. An
 * L1 deposit and a forced withdrawal are L1_DEPOSIT and FORCED_WITHDRAWAL, live and on the replay.
 */
class CollateralHistoryRestartTest {
  private static final long START = 1_700_000_000L;

  @TempDir Path dir;

  private Path data;
  private Path archive;

  private final AtomicLong clock = new AtomicLong(START);
  private long nonce;

  @Test
  void changesAndPaymentsPageNewestFirstAddUpAndSurviveARestart() throws Exception {
    data = dir.resolve("data");
    archive = dir.resolve("archive"); // released segments: the whole journal stays
    NodeOptions options = HistoryNodeOptions.of(data, clock::get, archive);
    List<String> before = new ArrayList<>();
    try (GatewayNode node = GatewayNode.open(options)) {
      submit(node, new DepositCollateral(0, 5_000_000));
      submit(node, new TransferCollateral(0, 1, 1_000_000));
      submit(node, new TransferCollateral(1, 0, 250_000));
      // an L1 deposit and a forced withdrawal (the node's first two L1 priority operations)
      EdDsaPublicKey key = GatewayNode.demoKey(0).publicKey();
      L1Address owner = L1Address.of(new byte[20]);
      submit(node, new CreditL1Deposit(0, 0, owner, key.point().x(), key.point().y(), 40_000));
      submit(node, new ServeL1ForcedWithdrawal(1, 0, owner, 15_000));
      for (int step = 0; step < 130; step++) {
        clock.addAndGet(60);
        assertThat(node.priceFeed().step()).isTrue();
        if (step % 40 == 0) { // positions on both markets, grown a little each time
          trade(node, 2, 1_000, 1000);
          trade(node, 1, 10, 10_000);
        }
      }
      submit(node, new WithdrawCollateral(0, 123_456));
      before.addAll(checkedPages(node));
      List<JsonNode> zero = listing(node, "perp_getCollateralHistory", 0, "changes");
      assertThat(zero.getFirst().path("kind").asText()).isEqualTo("WITHDRAWAL");
      assertThat(zero.getFirst().path("amount").asLong()).isEqualTo(-123_456);
      Set<String> kinds = new TreeSet<>();
      zero.forEach(c -> kinds.add(c.path("kind").asText()));
      assertThat(kinds)
          .contains(
              "DEPOSIT",
              "L1_DEPOSIT",
              "FORCED_WITHDRAWAL",
              "TRANSFER_OUT",
              "TRANSFER_IN",
              "TRADE",
              "FEE",
              "FUNDING",
              "WITHDRAWAL");
      assertThat(
              zero.stream()
                  .filter(c -> c.path("kind").asText().startsWith("L1_"))
                  .map(c -> c.path("amount").asLong()))
          .containsExactly(40_000L);
      assertThat(
              zero.stream()
                  .filter(c -> c.path("kind").asText().equals("FORCED_WITHDRAWAL"))
                  .map(c -> c.path("amount").asLong()))
          .containsExactly(-15_000L);
    }
    try (GatewayNode node = GatewayNode.open(options)) {
      List<String> after = checkedPages(node);
      assertThat(after).as("the same pages after a restart").isEqualTo(before);
      submit(node, new DepositCollateral(1, 777));
      List<JsonNode> one = listing(node, "perp_getCollateralHistory", 1, "changes");
      assertThat(one.getFirst().path("kind").asText()).isEqualTo("DEPOSIT");
      assertThat(one.getFirst().path("amount").asLong()).isEqualTo(777);
      check(node, 1, one, listing(node, "perp_getFundingPayments", 1, "payments"));
      before.clear();
      before.addAll(checkedPages(node));
    }
    // the history rebuilt from the whole journal (no snapshot, no history): the same entries, so
    // what the journal thread wrote live (kinds included) is what a replay derives
    NodeSnapshots.delete(data.resolve(Recovery.SNAPSHOT_DIR));
    NodeSnapshots.delete(data.resolve(HistoryStore.DIR));
    NodeSnapshots.restoreArchived(archive, data);
    try (GatewayNode node = GatewayNode.open(options)) {
      List<String> rebuilt = checkedPages(node);
      assertThat(rebuilt).as("rebuilt from the journal").isEqualTo(before);
    }
  }

  /**
   * Accounts 0 and 1's collateral changes and funding payments, every page, as text (changes, then
   * payments, per account), each account {@link #check}ed.
   */
  private List<String> checkedPages(GatewayNode node) throws Exception {
    List<String> out = new ArrayList<>();
    for (int account = 0; account < 2; account++) {
      List<JsonNode> changes = listing(node, "perp_getCollateralHistory", account, "changes");
      List<JsonNode> payments = listing(node, "perp_getFundingPayments", account, "payments");
      check(node, account, changes, payments);
      out.add(changes.toString());
      out.add(payments.toString());
    }
    return out;
  }

  /** Chain and sum = the account's collateral; payments on both markets, one FUNDING each. */
  private void check(GatewayNode node, int account, List<JsonNode> changes, List<JsonNode> payments)
      throws Exception {
    JsonNode state =
        DemoNodeRpc.call(node, "perp_getAccount", TestGrants.demoJson(account, clock.get()))
            .path("result");
    assertThat(CollateralHistoryTest.sumAndChain(changes))
        .as("Σ changes of %d", account)
        .isEqualTo(state.path("collateral").asLong());
    assertThat(CollateralHistoryTest.newestFirst(payments)).isTrue();
    Set<Integer> markets = new TreeSet<>();
    payments.forEach(p -> markets.add(p.path("market").asInt()));
    assertThat(markets).as("payments of %d", account).containsExactly(1, 2);
    long funding =
        changes.stream()
            .filter(c -> c.path("kind").asText().equals("FUNDING"))
            .mapToLong(c -> c.path("amount").asLong())
            .sum();
    assertThat(payments.stream().mapToLong(p -> p.path("amount").asLong()).sum())
        .isEqualTo(funding);
  }

  /** Every entry of an account's listing, 3 per page. */
  private List<JsonNode> listing(GatewayNode node, String method, int account, String field)
      throws Exception {
    List<JsonNode> out =
        DemoNodeRpc.allPages(
            node, method, TestGrants.demoParams(account, clock.get()).put("limit", 3), field);
    assertThat(out.size()).as("%s of %d spans several pages", method, account).isGreaterThan(3);
    return out;
  }

  /** Account 0 rests a sell, account 1 takes it whole. */
  private void trade(GatewayNode node, int market, long size, long price) throws Exception {
    for (int account = 0; account < 2; account++) {
      Side side = account == 0 ? Side.SELL : Side.BUY;
      JsonNode r = DemoNodeRpc.placeLimit(node, account, market, side, size, price, ++nonce);
      assertThat(r.has("result")).as(r.toString()).isTrue();
    }
  }

  private static void submit(GatewayNode node, Command c) throws Exception {
    CommandOutcome o = node.gateway().bridge().submit(c).get(10, TimeUnit.SECONDS);
    assertThat(o).as(c.toString()).isInstanceOf(CommandOutcome.Accepted.class);
  }
}
