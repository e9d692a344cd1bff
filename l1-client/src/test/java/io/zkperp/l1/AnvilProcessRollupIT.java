package io.zkperp.l1;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RollupScenarios} against an anvil process started by the test (anvil from the npm
 * registry, {@code l1-contracts/tools/anvil}): what runs here and in CI.
 */
class AnvilProcessRollupIT extends RollupScenarios {
  private static AnvilProcess anvil;

  @BeforeAll
  static void startAnvil() throws IOException {
    anvil = AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_337, 60);
  }

  @AfterAll
  static void stopAnvil() {
    if (anvil != null) {
      anvil.close();
    }
  }

  @Override
  String rpcUrl() {
    return anvil.rpcUrl();
  }
}
