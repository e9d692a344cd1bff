package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.node.DataDirectoryLock;
import io.zkperp.gateway.node.DataDirectoryLockedException;
import io.zkperp.gateway.node.GatewayMain;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.journal.JournalSegments;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One owner per data directory: while a node takes orders over HTTP, a second node on the same
 * directory, in this JVM and in another process, fails at once and touches nothing; the first
 * node's journal stays intact and a restart replays every acknowledged order.
 */
class DataDirectoryOwnerTest {
  @TempDir Path dir;

  private static NodeOptions options(Path dir) {
    return NodeOptions.builder(dir)
        .clockSeconds(() -> 1_700_000_000L)
        .feedIntervalMillis(0)
        .signatures(io.zkperp.gateway.node.SignatureVerifiers.JAVA)
        .build();
  }

  @Test
  void aSecondNodeOnADirectoryInUseFailsAndTheFirstKeepsEveryAcknowledgedOrder() throws Exception {
    List<Long> acknowledged = new ArrayList<>(); // journalSeq of every order answered with a result
    AtomicBoolean stop = new AtomicBoolean();
    long journalBytes;
    try (GatewayNode first = GatewayNode.open(options(dir))) {
      Thread load =
          new Thread(
              () -> {
                long nonce = 1;
                while (!stop.get() && nonce < 2_000) {
                  int account = (int) (nonce % 10);
                  Side side = nonce % 2 == 0 ? Side.BUY : Side.SELL;
                  try {
                    JsonNode r =
                        DemoNodeRpc.placeLimit(first, account, 2, side, 1, 990 + nonce % 20, nonce);
                    if (r.has("result")) {
                      synchronized (acknowledged) {
                        acknowledged.add(r.path("result").path("journalSeq").asLong());
                      }
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  nonce++;
                }
              },
              "orders");
      load.start();
      awaitAcknowledged(acknowledged, 20);

      // a second node in this JVM: refused before it reads or writes anything
      assertThatThrownBy(() -> GatewayNode.open(options(dir)))
          .isInstanceOf(DataDirectoryLockedException.class)
          .hasMessageContaining("is in use by another running node")
          .hasMessageContaining("--data-dir");

      // a second node in another process: the OS lock refuses it; exit 1, one line
      Process second =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  GatewayMain.class.getName(),
                  "--data-dir",
                  dir.toString(),
                  "--port",
                  "0",
                  "--feed-interval-ms",
                  "0",
                  "--signature-verifier",
                  "java")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(second.exitValue()).as(err).isEqualTo(1);
      assertThat(err.lines().filter(l -> l.startsWith("zk node:")).toList())
          .as(err)
          .containsExactly(
              "zk node: the data directory "
                  + dir.toAbsolutePath().normalize()
                  + " is in use by another running node; stop that node or choose another"
                  + " directory (--data-dir)");

      int before = acknowledgedCount(acknowledged);
      awaitAcknowledged(acknowledged, before + 20); // the first node still takes orders
      stop.set(true);
      load.join(30_000);
      assertThat(load.isAlive()).isFalse();
      journalBytes = journalBytes(dir);
    }
    // nothing was appended or cut after the first node closed its journal
    assertThat(journalBytes(dir)).isEqualTo(journalBytes);
    // the lock was released with the node: a restart replays every acknowledged order
    try (GatewayNode again = GatewayNode.open(options(dir))) {
      long last = acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow();
      // journal sequence numbers are contiguous: every record up to the last answer was replayed
      assertThat(again.gateway().readModel().journalSeq()).isEqualTo(last);
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(40).doesNotHaveDuplicates();
    }
    assertThat(Files.exists(dir.resolve(DataDirectoryLock.LOCK_FILE))).isTrue();
  }

  private static int acknowledgedCount(List<Long> acknowledged) {
    synchronized (acknowledged) {
      return acknowledged.size();
    }
  }

  private static void awaitAcknowledged(List<Long> acknowledged, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acknowledgedCount(acknowledged) < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(acknowledgedCount(acknowledged)).isGreaterThanOrEqualTo(count);
  }

  /** The bytes of every journal segment. */
  private static long journalBytes(Path dir) throws java.io.IOException {
    long total = 0;
    for (JournalSegments.Segment s : JournalSegments.list(dir)) {
      total += Files.size(s.file());
    }
    return total;
  }
}
