package io.zkperp.prover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.ProvingKeyMismatchException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProverWorkerMainTest {

  @TempDir Path dir;

  static final ProverWorkerMain.EngineOpener UNUSED =
      (keys, shape, log) -> {
        throw new AssertionError("must not open the engine");
      };

  @Test
  void badArgumentsExitWithTheUsageCode() {
    assertThat(ProverWorkerMain.run(new String[] {"--jobs"}, UNUSED))
        .isEqualTo(ProverWorkerMain.EXIT_USAGE);
    assertThat(ProverWorkerMain.run(new String[] {"--jobs", dir.toString()}, UNUSED))
        .isEqualTo(ProverWorkerMain.EXIT_USAGE);
    assertThat(
            ProverWorkerMain.run(
                new String[] {
                  "--jobs", dir.toString(), "--keys", "k", "--shape", "tiny", "--poll-ms", "x"
                },
                UNUSED))
        .isEqualTo(ProverWorkerMain.EXIT_USAGE);
  }

  @Test
  void aSecondWorkerOnTheSameDirectoryExitsWithTheLockedCode() throws Exception {
    new JobStore(dir);
    try (FileChannel ch =
            FileChannel.open(
                dir.resolve("worker.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      assertThat(lock.isValid()).isTrue();
      assertThat(
              ProverWorkerMain.run(
                  new String[] {"--jobs", dir.toString(), "--keys", "k", "--shape", "tiny"},
                  UNUSED))
          .isEqualTo(ProverWorkerMain.EXIT_LOCKED);
    }
  }

  @Test
  void staleKeysExitWithTheKeyMismatchCode() {
    assertThat(
            ProverWorkerMain.run(
                new String[] {"--jobs", dir.toString(), "--keys", "k", "--shape", "tiny"},
                (keys, shape, log) -> {
                  throw new ProvingKeyMismatchException("manifest says gnark v0.0.1");
                }))
        .isEqualTo(ProverWorkerMain.EXIT_KEY_MISMATCH);
  }

  @Test
  void theDeploymentOfAFormatV3ShapeReachesTheEngineAndAV2ShapeGetsNone() {
    List<MessageDomain> seen = new ArrayList<>();
    ProverWorkerMain.DomainEngineOpener recording =
        (keys, shape, domain, log) -> {
          seen.add(domain);
          throw new ProvingKeyMismatchException("stop here");
        };
    String rollup = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
    assertThat(
            ProverWorkerMain.run(
                new String[] {
                  "--jobs",
                  dir.toString(),
                  "--keys",
                  "k",
                  "--shape",
                  "v3-tiny",
                  "--chain-id",
                  "31337",
                  "--rollup",
                  rollup
                },
                recording))
        .isEqualTo(ProverWorkerMain.EXIT_KEY_MISMATCH);
    assertThat(
            ProverWorkerMain.run(
                new String[] {"--jobs", dir.toString(), "--keys", "k", "--shape", "tiny"},
                recording))
        .isEqualTo(ProverWorkerMain.EXIT_KEY_MISMATCH);
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isEqualTo(MessageDomain.of(31_337, L1Address.fromHex(rollup)));
    assertThat(seen.get(1)).isNull();
  }

  @Test
  void aChainIdWithoutARollupOrAMalformedOneIsAUsageErrorBeforeTheEngineOpens() {
    ProverWorkerMain.DomainEngineOpener unused =
        (keys, shape, domain, log) -> {
          throw new AssertionError("must not open the engine");
        };
    String[] base = {"--jobs", dir.toString(), "--keys", "k", "--shape", "v3-tiny"};
    for (String[] extra :
        List.of(
            new String[] {"--chain-id", "31337"},
            new String[] {"--rollup", "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"},
            new String[] {
              "--chain-id", "-1", "--rollup", "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
            },
            new String[] {"--chain-id", "31337", "--rollup", "0x9fE4"})) {
      String[] args = new String[base.length + extra.length];
      System.arraycopy(base, 0, args, 0, base.length);
      System.arraycopy(extra, 0, args, base.length, extra.length);
      assertThat(ProverWorkerMain.run(args, unused))
          .as(String.join(" ", extra))
          .isEqualTo(ProverWorkerMain.EXIT_USAGE);
    }
  }

  @Test
  void optionsWithADomainCarryItAndTheDefaultsHaveNone() {
    WorkerOptions v2 = WorkerOptions.defaults(dir, "tiny");
    MessageDomain fixture =
        MessageDomain.of(31_337, L1Address.fromHex("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"));
    WorkerOptions v3 = WorkerOptions.defaults(dir, "v3-tiny").withDomain(fixture).withWorkers(2);
    assertThat(v2.domain()).isNull();
    assertThat(v3.domain()).isEqualTo(fixture);
    assertThat(v3.withTiming(Duration.ofMillis(10), 2, Duration.ofSeconds(1)).domain())
        .isEqualTo(fixture);
  }
}
