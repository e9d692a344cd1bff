package io.zkperp.gateway;

import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The demo node of the history tests that restart it: a test clock, the price feed stepped by the
 * test only, 64 KiB journal segments, no snapshots by count or time, two snapshots kept. Test
 * thread.
 */
final class HistoryNodeOptions {
  private HistoryNodeOptions() {}

  /**
   * The options.
   *
   * @param data the data directory
   * @param clock the node's clock, unix seconds
   * @param archive where released journal segments go, or null to delete them
   * @return the options
   */
  static NodeOptions of(Path data, LongSupplier clock, Path archive) {
    return NodeOptions.builder(data)
        .clockSeconds(clock)
        .feedIntervalMillis(0)
        .signatures(SignatureVerifiers.AUTO)
        .durability(new DurabilityOptions(64 << 10, 0, 0, 2, archive))
        .build();
  }
}
