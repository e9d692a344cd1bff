package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.history.HistoryStore;
import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.Side;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of paged history: on a demo node's real data directory, account 0's one
 * resting sell of 100,000 (signed, through the gateway's pipeline) is taken by 100,000 buys of
 * account 1 journaled directly ({@link DirectJournal}: the core applies them, the journal takes the
 * accepted ones, no signatures to compute), so the node's next start replays them through the real
 * read model into the history store. {@code perp_getFills} over HTTP, 1,000 per page by {@code
 * nextCursor}, returns all 100,000 maker fills of account 0 newest first, one per buy, each once;
 * after a restart (the history reopened from {@code <data-dir>/history}, nothing replayed into it
 * twice) the same pages again. The count is {@code -Dzkperp.historyFills} (default 100,000).
 */
class HistoryPagingTest {
  private static final int FILLS = Integer.getInteger("zkperp.historyFills", 100_000);
  private static final int MARKET = 2; // tick 1, step 1, minimum 1, around 1,000
  private static final long SEGMENT_BYTES = 4 << 20;
  private static final long START_SECONDS = 1_700_000_000L; // the node's clock (fixed)

  @TempDir Path dir;

  @Test
  void everyFillOfAnAccountWith100kFillsPagesNewestFirstAcrossARestart() throws Exception {
    AtomicLong clock = new AtomicLong(START_SECONDS);
    NodeOptions options =
        NodeOptions.builder(dir)
            .clockSeconds(clock::get)
            .feedIntervalMillis(0)
            .signatures(SignatureVerifiers.AUTO)
            .durability(new DurabilityOptions(SEGMENT_BYTES, 0, 0, 2, null))
            .build();
    try (GatewayNode node = GatewayNode.open(options)) {
      CommandOutcome sell =
          node.gateway()
              .bridge()
              .submit(DemoNodeRpc.limitOrder(0, 0, MARKET, Side.SELL, FILLS, 1000, 1))
              .get(10, TimeUnit.SECONDS);
      assertThat(sell).isInstanceOf(CommandOutcome.Accepted.class);
    }
    List<Long> takerSeqs =
        DirectJournal.append(
            dir,
            SEGMENT_BYTES,
            FILLS,
            i -> DirectJournal.order(1, MARKET, Side.BUY, 1, 1000, i + 1));
    assertThat(takerSeqs).hasSize(FILLS);
    List<String> before;
    try (GatewayNode node = GatewayNode.open(options)) {
      before = pageAll(node, takerSeqs);
      HistoryStore history = node.gateway().readModel().history();
      assertThat(history.appliedSeq()).isEqualTo(takerSeqs.get(FILLS - 1));
      // the taker's side pages the same way
      JsonNode first = fills(node, 1, null, 3);
      assertThat(first.path("fills")).hasSize(3);
      assertThat(first.path("fills").get(0).path("liquidity").asText()).isEqualTo("TAKER");
      assertThat(first.path("nextCursor").asText())
          .isEqualTo(first.path("fills").get(2).path("journalSeq").asLong() + ".0");
    }
    try (GatewayNode node = GatewayNode.open(options)) {
      assertThat(pageAll(node, takerSeqs)).as("the same pages after a restart").isEqualTo(before);
    }
  }

  /**
   * Every fill of account 0, 1,000 per page; checks order, count and sequences; the pages' text.
   */
  private static List<String> pageAll(GatewayNode node, List<Long> takerSeqs) throws Exception {
    List<String> pages = new ArrayList<>();
    String cursor = null;
    long lastSeq = Long.MAX_VALUE;
    int n = 0;
    do {
      JsonNode page = fills(node, 0, cursor, 1000);
      pages.add(page.toString());
      for (JsonNode f : page.path("fills")) {
        long seq = f.path("journalSeq").asLong();
        assertThat(seq).as("newest first, one fill per command").isLessThan(lastSeq);
        assertThat(f.path("liquidity").asText()).isEqualTo("MAKER");
        assertThat(f.path("size").asLong()).isEqualTo(1);
        assertThat(seq).isEqualTo(takerSeqs.get(takerSeqs.size() - 1 - n));
        lastSeq = seq;
        n++;
      }
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
      assertThat(cursor == null || page.path("fills").size() == 1000).isTrue();
    } while (cursor != null);
    assertThat(n).isEqualTo(FILLS);
    return pages;
  }

  private static JsonNode fills(GatewayNode node, int account, String cursor, int limit)
      throws Exception {
    ObjectNode p = DemoNodeRpc.MAPPER.createObjectNode();
    p.put("account", account);
    p.put("limit", limit);
    if (cursor != null) {
      p.put("cursor", cursor);
    }
    p.set(
        "auth",
        TestGrants.auth(
            GatewayNode.demoKey(account),
            account,
            START_SECONDS + TestGrants.VALIDITY,
            MessageDomain.DEMO));
    JsonNode r = DemoNodeRpc.call(node, "perp_getFills", p.toString());
    assertThat(r.has("result")).as(r.toString()).isTrue();
    return r.path("result");
  }
}
