package io.zkperp.l1;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link RollupScenarios} against anvil in a container (Foundry's published image), for operators
 * with a Docker engine. Skipped cleanly where Docker is absent; the same scenarios run against an
 * anvil process in {@link AnvilProcessRollupIT}.
 */
@Testcontainers(disabledWithoutDocker = true)
class AnvilContainerRollupIT extends RollupScenarios {
  static final String IMAGE = "ghcr.io/foundry-rs/foundry:v1.7.1";

  @Container
  @SuppressWarnings("resource")
  static final GenericContainer<?> ANVIL =
      new GenericContainer<>(IMAGE)
          .withCommand(
              "anvil --host 0.0.0.0 --chain-id 31337 --mnemonic '" + DevAccounts.MNEMONIC + "'")
          .withExposedPorts(8545)
          .waitingFor(Wait.forLogMessage(".*Listening on.*", 1));

  @Override
  String rpcUrl() {
    return "http://" + ANVIL.getHost() + ":" + ANVIL.getMappedPort(8545);
  }
}
