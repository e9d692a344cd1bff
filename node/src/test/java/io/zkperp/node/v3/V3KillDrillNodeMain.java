package io.zkperp.node.v3;

import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.node.NodeConfig;
import io.zkperp.node.NodeShutdownHook;
import io.zkperp.node.RollupNode;
import io.zkperp.sequencer.command.Command;
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
 * The node of {@link RollupNodeV3KillIT}, run as its own process: a format v3 {@link RollupNode} on
 * the fixture deployment ({@link #config}: v3-tiny, cached keys, snapshots every 3 records) that,
 * as an operator would, feeds the engine oracle ticks (a {@code Tick} to the wall clock's second
 * and a 3-of-3 signed price of market 2 through the engine path, since no RPC method takes prices)
 * every {@code tick-ms} (at most one per second: T is the wall clock's second). Prints {@code node
 * listening on port N} once serving, {@code market listed at journal record S} after {@code
 * --list}, {@code oracle tick at T journaled at record S} per tick, and {@code settlement paused at
 * record S: …} if the settlement pauses. SIGTERM closes the node (its shutdown hook). Arguments:
 * {@code <test-dir> <anvil-url> <tick-ms> [--list]}. Its main thread ticks; the node's threads do
 * the rest.
 */
public final class V3KillDrillNodeMain {
  private V3KillDrillNodeMain() {}

  /**
   * The drill node's configuration: {@link V3NodeItSupport#config} (batches sealed 1 s after their
   * first record) with a snapshot every 3 journal records (one kept besides the protected one), so
   * kills land while snapshots are taken and written, and no back-pressure (the workers die with
   * the node, so proofs lag far behind the sealed batches).
   *
   * @param dir the test's directory (the node's data under {@code node/})
   * @param rpcUrl anvil's endpoint
   * @return the configuration
   */
  static NodeConfig config(Path dir, String rpcUrl) {
    return V3NodeItSupport.config(dir, rpcUrl, Duration.ofSeconds(1))
        .withSnapshots(new NodeConfig.Snapshots(3, 0, 1, null))
        .withMaxBatchesAwaitingProof(100_000);
  }

  /**
   * Runs the drill node until SIGTERM or SIGKILL.
   *
   * @param args test directory, anvil URL, tick interval in ms, optionally {@code --list}
   * @throws Exception the node cannot be opened
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long tickMillis = Long.parseLong(args[2]);
    RollupNode node = RollupNode.open(config(dir, args[1]));
    CountDownLatch closed = NodeShutdownHook.closeOnShutdown(node, "drill-node-shutdown");
    System.out.println("node listening on port " + node.gateway().port());
    if (args.length > 3 && args[3].equals("--list")) {
      long seq =
          submit(
              node,
              DemoMarkets.MARKETS.stream()
                  .filter(m -> m.market() == V3NodeItSupport.MARKET)
                  .findFirst()
                  .orElseThrow());
      System.out.println("market listed at journal record " + seq);
    }
    long last = 0;
    while (closed.getCount() > 0) {
      // T is the wall clock's second: it never goes back across restarts
      long now = System.currentTimeMillis() / 1000;
      if (now <= last) {
        closed.await(100, TimeUnit.MILLISECONDS);
        continue;
      }
      try {
        submit(node, new Tick(now));
        List<PriceReport> reports = new ArrayList<>();
        for (int s = 0; s < DemoMarkets.ORACLE_SIGNERS; s++) {
          reports.add(
              PriceReportSigning.sign(
                  FixtureChain.DOMAIN,
                  DemoMarkets.oracleKey(s),
                  s,
                  V3NodeItSupport.MARKET,
                  V3NodeItSupport.PRICE << 32,
                  now));
        }
        long seq = submit(node, new SignedOraclePrices(V3NodeItSupport.MARKET, reports));
        System.out.println("oracle tick at " + now + " journaled at record " + seq);
        last = now;
      } catch (Exception e) {
        if (closed.getCount() == 0) {
          return;
        }
        System.out.println("oracle tick at " + now + " not taken: " + e);
      }
      long paused = node.settlementStage().pausedAt();
      if (paused != 0) {
        System.out.println(
            "settlement paused at record " + paused + ": " + node.settlementStage().pauseReason());
      }
      closed.await(tickMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Submits an operator command through the engine path; its journal record, or an exception. */
  private static long submit(RollupNode node, Command c) throws Exception {
    CommandOutcome o = node.gateway().bridge().submit(c).get(10, TimeUnit.SECONDS);
    if (o instanceof CommandOutcome.Accepted a) {
      return a.journalSeq();
    }
    throw new IllegalStateException(c + " refused: " + o);
  }
}
