package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo node's built-in price feed: quorum-signed batches with the built-in oracle keys, a
 * bounded random walk, ticks at the node clock that give derived funding, and a feed thread that
 * stops on close.
 */
class PriceFeedTest {
  @TempDir Path dir;

  @Test
  void feedSignsBoundedPricesAndTicksAtTheNodeClockAndFundingIsDerived() throws Exception {
    AtomicLong clock = new AtomicLong(1_700_000_000L);
    int steps = 70;
    try (GatewayNode node =
        GatewayNode.open(
            NodeOptions.builder(dir).clockSeconds(clock::get).feedIntervalMillis(0).build())) {
      assertThat(node.priceFeed().acceptedBatches()).isEqualTo(2); // the step at start
      assertThat(node.priceFeed().step()).isFalse(); // the clock has not moved
      for (int i = 0; i < steps; i++) {
        clock.addAndGet(61); // > 1 h in all: a funding tick is due
        assertThat(node.priceFeed().step()).isTrue();
      }
      assertThat(node.priceFeed().acceptedBatches()).isEqualTo(2L * (steps + 1));
      assertThat(node.priceFeed().rejectedCommands()).isZero();
    }
    // replay the journal the feed wrote: every batch verifies under the built-in keys, prices stay
    // in the band and move ≤ 0.1% + jitter per step, ticks follow the clock, funding is derived
    List<Command> commands = new ArrayList<>();
    JournalReader.readJournal(dir, 0, (seq, c) -> commands.add(c));
    EventCollector events = new EventCollector();
    SequencerCore core =
        new SequencerCore(
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            DemoMarkets.riskEngine(),
            events);
    List<Long> ticks = new ArrayList<>();
    long[] previous = new long[3];
    int batches = 0;
    int derived = 0;
    for (Command c : commands) {
      assertThat(core.apply(c)).as("%s: %s", c, core.lastRejectMessage()).isTrue();
      for (SequencerEvent e : events.drain()) {
        if (e instanceof SequencerEvent.FundingTickDerived) {
          derived++;
        }
      }
      if (c instanceof Tick t) {
        ticks.add(t.time());
      }
      if (c instanceof SignedOraclePrices s) {
        batches++;
        int m = s.market();
        long centre = DemoMarkets.centrePrice(m) << 32;
        assertThat(s.reports()).hasSize(DemoMarkets.ORACLE_SIGNERS);
        for (PriceReport r : s.reports()) {
          assertThat(
                  PriceReportSigning.verify(
                      MessageDomain.DEMO, DemoMarkets.oracleKey(r.signer()).publicKey(), r))
              .isTrue();
          assertThat(r.timestamp()).isEqualTo(ticks.get(ticks.size() - 1));
          assertThat(Math.abs(r.price() - centre))
              .isLessThanOrEqualTo(centre / 1_000_000 * (DemoMarkets.BAND_PPM + 50));
          if (previous[m] != 0) {
            assertThat(Math.abs(r.price() - previous[m]))
                .isLessThanOrEqualTo(previous[m] / 1_000_000 * 1_200);
          }
        }
        previous[m] = s.reports().get(0).price();
      }
    }
    assertThat(batches).isEqualTo(2 * (steps + 1));
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i <= steps; i++) {
      expected.add(1_700_000_000L + 61L * i);
    }
    assertThat(ticks).isEqualTo(expected);
    assertThat(derived).as("derived funding ticks, one per market").isEqualTo(2);
  }

  @Test
  void feedThreadRunsOnItsPeriodAndStopsOnClose() throws Exception {
    AtomicLong clock = new AtomicLong(1_700_000_000L);
    GatewayNode node =
        GatewayNode.open(
            NodeOptions.builder(dir)
                .clockSeconds(clock::incrementAndGet)
                .feedIntervalMillis(20)
                .build());
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (node.priceFeed().acceptedBatches() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(node.priceFeed().acceptedBatches()).isGreaterThanOrEqualTo(10);
    node.close();
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("node-price-feed") && t.isAlive()))
        .isEmpty();
    long after = node.priceFeed().acceptedBatches();
    Thread.sleep(100);
    assertThat(node.priceFeed().acceptedBatches()).isEqualTo(after);
    assertThat(node.priceFeed().rejectedCommands()).isZero();
  }
}
