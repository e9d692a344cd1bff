package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.LoadGenerator;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a demo node: a smoke test of the tool, not a benchmark. */
class LoadGeneratorTest {
  @TempDir Path dir;

  @Test
  void everyPlannedOrderIsAnsweredWithAResult() throws Exception {
    try (GatewayNode node =
        GatewayNode.open(dir, GatewayConfig.defaults(0), () -> 1_700_000_000L)) {
      LoadGenerator.Result r =
          LoadGenerator.run(
              URI.create("http://127.0.0.1:" + node.gateway().port() + "/"), 300, 1, 2, 1);
      assertThat(r.planned()).isEqualTo(300);
      assertThat(r.errors()).isEmpty();
      assertThat(r.ok()).isEqualTo(300);
      assertThat(r.latency().getTotalCount()).isEqualTo(300);
      // the demo setup (2 markets, 10 deposits, the fund's top-up), the feed's first step (a tick,
      // 2 signed prices; the fixed clock stops it there), then every order
      assertThat(node.gateway().readModel().journalSeq()).isEqualTo(16 + 300);
    }
  }
}
