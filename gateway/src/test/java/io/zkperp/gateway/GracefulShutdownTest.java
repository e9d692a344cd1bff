package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.Recovery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shutdown while clients are placing orders: every request that gets an answer gets either a result
 * whose journal sequence is in the journal, or SHUTTING_DOWN (-32004); nothing acknowledged is
 * lost.
 */
class GracefulShutdownTest {
  @TempDir Path dir;

  @Test
  void acknowledgedOrdersAreJournaledAndLateOnesRefused() throws Exception {
    GatewayHarness h = new GatewayHarness(dir);
    List<ObjectNode> orders = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      ObjectNode o = h.order(i % 8, 2, Side.BUY, 1, 100, 1 + i / 8);
      orders.add(h.resign(o.put("clientOrderId", i)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    for (ObjectNode o : orders) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return h.call("perp_placeOrder", o);
                } catch (Exception e) {
                  return null; // connection refused or closed once the server is down
                }
              },
              pool));
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (calls.stream().filter(CompletableFuture::isDone).count() < 50
        && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    h.close(); // while the 8 clients still have requests in flight
    Set<Long> acknowledged = new HashSet<>();
    int refused = 0;
    int unanswered = 0;
    for (CompletableFuture<JsonNode> c : calls) {
      JsonNode r = c.get();
      if (r == null) {
        unanswered++;
      } else if (r.has("result")) {
        acknowledged.add(r.path("result").path("journalSeq").asLong());
      } else {
        assertThat(r.path("error").path("code").asInt()).as(r.toString()).isEqualTo(-32004);
        refused++;
      }
    }
    pool.shutdown();
    System.out.printf(
        "shutdown: %d acknowledged, %d refused, %d unanswered%n",
        acknowledged.size(), refused, unanswered);
    assertThat(acknowledged).isNotEmpty();
    assertThat(acknowledged.size() + refused + unanswered).isEqualTo(400);
    List<Long> journaled = new ArrayList<>();
    List<Command> commands = new ArrayList<>();
    JournalReader.read(
        dir.resolve(Recovery.JOURNAL_FILE),
        (seq, c) -> {
          journaled.add(seq);
          commands.add(c);
        });
    assertThat(journaled).containsAll(acknowledged);
  }
}
