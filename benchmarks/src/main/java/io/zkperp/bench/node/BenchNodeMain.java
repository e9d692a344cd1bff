package io.zkperp.bench.node;

import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.node.NodeShutdownHook;
import io.zkperp.node.RollupNode;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's node as its own process: a {@link RollupNode} of {@link BenchNode#config} that
 * does what an operator does beside it, since no JSON-RPC method takes these commands: lists market
 * {@link OrderStream#MARKET} and, every second, ticks the engine's clock to the wall clock's second
 * and submits a 3-of-3 signed oracle price of {@link OrderStream#PRICE} (the demo signers, the
 * node's domain). Without L1 it also credits the run's deposits ({@link RunAccounts#credits}),
 * which the settling node's watcher credits from L1. Prints {@code node listening on port N} once
 * serving, {@code accounts credited N} once every deposit is, and {@code settlement paused at
 * record S: …} once if the settlement pauses. SIGTERM closes the node (its shutdown hook).
 *
 * <p>Arguments: {@code <data-dir> <traders> <l1-url or -> <start-block> <prover-workers>
 * <max-batches-awaiting-proof> <batch-delay-ms> <feed-interval-ms>}. Its main thread feeds prices;
 * the node's threads do the rest.
 */
public final class BenchNodeMain {
  private BenchNodeMain() {}

  /**
   * Runs the node until SIGTERM.
   *
   * @param args see the class comment
   * @throws Exception the node cannot be opened or set up
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println(
          "usage: BenchNodeMain <data-dir> <traders> <l1-url|-> <start-block> <prover-workers>"
              + " <max-batches-awaiting-proof> <batch-delay-ms> <feed-interval-ms>");
      System.exit(2);
    }
    RunAccounts accounts = new RunAccounts(Integer.parseInt(args[1]));
    BenchNode.Options options =
        new BenchNode.Options(
            Path.of(args[0]),
            args[2].equals("-") ? null : args[2],
            Long.parseLong(args[3]),
            Integer.parseInt(args[4]),
            Integer.parseInt(args[5]),
            Duration.ofMillis(Long.parseLong(args[6])));
    long feedSeconds = Math.max(1, Long.parseLong(args[7]) / 1000);
    RollupNode node = RollupNode.open(BenchNode.config(options));
    CountDownLatch closed = NodeShutdownHook.closeOnShutdown(node, "bench-node-shutdown");
    System.out.println("node listening on port " + node.gateway().port());
    MessageDomain domain = options.settles() ? BenchNode.settlingDomain() : MessageDomain.DEMO;
    submit(
        node,
        DemoMarkets.MARKETS.stream()
            .filter(m -> m.market() == OrderStream.MARKET)
            .findFirst()
            .orElseThrow());
    long last = price(node, domain, 0, feedSeconds);
    if (!options.settles()) {
      for (CreditL1Deposit c : accounts.credits()) {
        submit(node, c);
      }
    }
    boolean credited = false;
    boolean pauseReported = false;
    while (closed.getCount() > 0) {
      if (!credited && node.accounts().nextPriorityIndex() >= accounts.count()) {
        credited = true;
        System.out.println("accounts credited " + accounts.count());
      }
      try {
        last = price(node, domain, last, feedSeconds);
      } catch (Exception e) {
        if (closed.getCount() == 0) {
          return;
        }
        System.out.println("oracle price not taken: " + e);
      }
      long paused = node.settlementStage().pausedAt();
      if (paused != 0 && !pauseReported) {
        pauseReported = true;
        System.out.println(
            "settlement paused at record " + paused + ": " + node.settlementStage().pauseReason());
      }
      closed.await(200, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A tick to the wall clock's second and a signed price at it, unless the last price is less than
   * {@code feedSeconds} old.
   *
   * @return the second priced last
   */
  private static long price(RollupNode node, MessageDomain domain, long last, long feedSeconds)
      throws Exception {
    long now = System.currentTimeMillis() / 1000;
    if (now < last + feedSeconds) {
      return last;
    }
    submit(node, new Tick(now));
    List<PriceReport> reports = new ArrayList<>();
    for (int s = 0; s < DemoMarkets.ORACLE_SIGNERS; s++) {
      reports.add(
          PriceReportSigning.sign(
              domain,
              DemoMarkets.oracleKey(s),
              s,
              OrderStream.MARKET,
              OrderStream.PRICE << 32,
              now));
    }
    submit(node, new SignedOraclePrices(OrderStream.MARKET, reports));
    return now;
  }

  /** Submits an operator command through the engine path; it must be accepted. */
  private static void submit(RollupNode node, Command c) throws Exception {
    CommandOutcome o = node.gateway().bridge().submit(c).get(30, TimeUnit.SECONDS);
    if (!(o instanceof CommandOutcome.Accepted)) {
      throw new IllegalStateException(c + " refused: " + o);
    }
  }
}
