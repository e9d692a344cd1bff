package io.zkperp.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.LoadGenerator;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.ReadGrantMessage;
import io.zkperp.protocol.state.L1Address;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability benchmark's readers against a real demo node (journal on disk, Netty, the read
 * grant check): their reads must be answered with results, and a run whose reads fail must say so.
 */
class PollingReadersTest {
  @TempDir Path dir;

  @Test
  void readersGetResultsForBothMethodsWithTheirReadGrants() throws Exception {
    try (GatewayNode node = GatewayNode.open(NodeOptions.builder(dir).build())) {
      URI url = URI.create("http://127.0.0.1:" + node.gateway().port() + "/");
      PollingReaders readers =
          PollingReaders.start(
              new PollingReaders.Options(url, 4, 20, 3, LoadGenerator.domain(url), 600));
      try {
        awaitReads(readers, 20);
      } finally {
        readers.stop();
      }
      assertThat(readers.errors().byKind()).isEmpty();
      assertThat(readers.bookReads()).isGreaterThanOrEqualTo(10);
      assertThat(readers.accountReads()).isGreaterThanOrEqualTo(10);
      assertThat(readers.valid()).isTrue();
      assertThat(readers.summary()).doesNotContain("INVALID RUN").contains("4 read grants signed");
    }
  }

  @Test
  void grantsForAnotherDeploymentAreCountedByKindAndInvalidateTheRun() throws Exception {
    try (GatewayNode node = GatewayNode.open(NodeOptions.builder(dir).build())) {
      URI url = URI.create("http://127.0.0.1:" + node.gateway().port() + "/");
      MessageDomain other = MessageDomain.of(999_999, L1Address.fromHex("0x" + "ab".repeat(20)));
      PollingReaders readers =
          PollingReaders.start(new PollingReaders.Options(url, 2, 20, 2, other, 600));
      try {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (readers.errors().total() < 4 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      } finally {
        readers.stop();
      }
      assertThat(readers.errors().byKind()).containsOnlyKeys("READ_GRANT_INVALID");
      assertThat(readers.bookReads()).isPositive(); // the public method still answers
      assertThat(readers.accountReads()).isZero();
      assertThat(readers.valid()).isFalse();
      assertThat(readers.summary())
          .contains("read errors READ_GRANT_INVALID")
          .contains("perp_getAccount: the read grant does not verify")
          .contains("INVALID RUN");
    }
  }

  @Test
  void bookDepthRestsTheLevelsOutsideTheLoadGeneratorsBand() throws Exception {
    try (GatewayNode node = GatewayNode.open(NodeOptions.builder(dir).build())) {
      URI url = URI.create("http://127.0.0.1:" + node.gateway().port() + "/");
      BookDepth.place(url, 2, 5, 3);
      var book = node.gateway().readModel().book(2, 50);
      assertThat(book.bids())
          .extracting(l -> l.price())
          .containsExactly(990L, 989L, 988L, 987L, 986L);
      assertThat(book.asks())
          .extracting(l -> l.price())
          .containsExactly(1010L, 1011L, 1012L, 1013L, 1014L);
      assertThat(book.bids()).allSatisfy(l -> assertThat(l.size()).isEqualTo(1));
    }
  }

  @Test
  void grantsAreRenewedWhenAQuarterOfTheirValidityIsLeft() {
    AtomicLong clock = new AtomicLong(1_000_000);
    DemoReadGrants grants = new DemoReadGrants(MessageDomain.DEMO, 100, clock::get);
    String first = grants.auth(3);
    assertThat(first).startsWith("{\"account\":3,\"validUntil\":1000100,\"signature\":\"0x");
    clock.addAndGet(75); // 25 s left: still a quarter
    assertThat(grants.auth(3)).isEqualTo(first);
    clock.incrementAndGet(); // 24 s left
    assertThat(grants.auth(3)).contains("\"validUntil\":1000176");
    assertThat(grants.signed()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                new DemoReadGrants(
                    MessageDomain.DEMO, ReadGrantMessage.MAX_VALIDITY_SECONDS + 1, clock::get))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void processCpuCountsThisJvmsWork() throws Exception {
    long self = ProcessHandle.current().pid();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    double before = ProcessCpu.seconds(self);
    long cpuStart = threads.getCurrentThreadCpuTime();
    long x = 0;
    while (threads.getCurrentThreadCpuTime() - cpuStart < 300_000_000L) { // 0.3 s of this thread
      x += Long.numberOfTrailingZeros(x + System.nanoTime());
    }
    assertThat(x).isPositive();
    // the whole process used at least this thread's 0.3 s (less one 10 ms tick at each end)
    assertThat(ProcessCpu.seconds(self) - before).isGreaterThanOrEqualTo(0.28);
  }

  private static void awaitReads(PollingReaders readers, long each) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while ((readers.bookReads() < each || readers.accountReads() < each)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }
}
