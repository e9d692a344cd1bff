package io.zkperp.l1;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RollupScenarios} against an anvil process started by the test (anvil from the npm
 * registry, {@code l1-contracts/tools/anvil}): what runs here and in CI.
 */
class AnvilProcessRollupIT extends RollupScenarios {
  @RegisterExtension private static final AnvilExtension anvil = new AnvilExtension();

  @Override
  String rpcUrl() {
    return anvil.rpcUrl();
  }
}
