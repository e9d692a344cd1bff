package io.zkperp.gateway;

import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import java.nio.file.Path;

/**
 * The demo node in a child JVM for {@link NodeKillRecoveryTest}: {@code <data dir> <segment bytes>
 * <snapshot every records> <archive dir>}, the price feed every 50 ms, 2 snapshots kept, released
 * segments moved to the archive. Prints {@code PORT <port>} once serving, then runs until killed.
 */
public final class KilledNodeMain {
  private KilledNodeMain() {}

  /**
   * Starts the node.
   *
   * @param args data dir, segment bytes, snapshot period in records, archive dir
   * @throws Exception if the node cannot start
   */
  public static void main(String[] args) throws Exception {
    GatewayNode node =
        GatewayNode.open(
            NodeOptions.builder(Path.of(args[0]))
                .feedIntervalMillis(50)
                .signatures(SignatureVerifiers.JAVA)
                .config(
                    GatewayConfig.builder()
                        .port(0)
                        .ipRatePerSecond(1e9)
                        .ipBurst(1_000_000_000)
                        .accountRatePerSecond(1e9)
                        .accountBurst(1_000_000_000)
                        .build())
                .durability(
                    new DurabilityOptions(
                        Long.parseLong(args[1]), Long.parseLong(args[2]), 0, 2, Path.of(args[3])))
                .build());
    System.out.println("PORT " + node.gateway().port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
