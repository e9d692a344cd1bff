package io.zkperp.node.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.NativeLibraryException;
import io.zkperp.prover.ProvingKeyMismatchException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Kafka prover's exit codes when its engine cannot be opened, and the deployment its engine is
 * opened with: all decided before it reaches a broker (none runs here).
 */
class KafkaProverWorkerMainTest {
  private static final String ROLLUP = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";

  private static String[] args(String... extra) {
    List<String> a = new ArrayList<>(List.of("--bootstrap", "127.0.0.1:1", "--shape", "v3-tiny"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void staleKeysExitWithTheKeyMismatchCode() {
    assertThat(
            KafkaProverWorkerMain.run(
                args(),
                (keys, shape, domain, log) -> {
                  throw new ProvingKeyMismatchException("manifest says gnark v0.0.1");
                }))
        .isEqualTo(KafkaProverWorkerMain.EXIT_KEY_MISMATCH)
        .isEqualTo(3);
  }

  @Test
  void aMissingNativeLibraryOrAnyOtherOpenFailureExitsWithTheNoProverCode() {
    assertThat(
            KafkaProverWorkerMain.run(
                args(),
                (keys, shape, domain, log) -> {
                  throw new NativeLibraryException("no libzkprover.so");
                }))
        .isEqualTo(KafkaProverWorkerMain.EXIT_NO_PROVER)
        .isEqualTo(5);
    assertThat(
            KafkaProverWorkerMain.run(
                args(),
                (keys, shape, domain, log) -> {
                  throw new IllegalStateException("unknown shape");
                }))
        .isEqualTo(KafkaProverWorkerMain.EXIT_NO_PROVER);
  }

  @Test
  void theEngineIsOpenedForTheShapeAndDeploymentGivenAndABadOptionOpensNothing() {
    List<String> seen = new ArrayList<>();
    KafkaProverWorkerMain.EngineOpener recording =
        (keys, shape, domain, log) -> {
          seen.add(shape + " " + domain);
          throw new ProvingKeyMismatchException("stop here");
        };
    assertThat(
            KafkaProverWorkerMain.run(args("--chain-id", "31337", "--rollup", ROLLUP), recording))
        .isEqualTo(KafkaProverWorkerMain.EXIT_KEY_MISMATCH);
    for (String[] bad :
        List.of(
            new String[] {"--chain-id", "31337"},
            new String[] {"--rollup", ROLLUP},
            new String[] {"--chain-id", "-1", "--rollup", ROLLUP},
            new String[] {"--chain-id", "31337", "--rollup", "0x9fE4"})) {
      assertThat(KafkaProverWorkerMain.run(args(bad), recording))
          .as(String.join(" ", bad))
          .isEqualTo(KafkaProverWorkerMain.EXIT_USAGE);
    }
    assertThat(seen)
        .containsExactly("v3-tiny " + MessageDomain.of(31_337, L1Address.fromHex(ROLLUP)));
  }
}
