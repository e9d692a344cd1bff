package io.zkperp.prover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.prover.ProvingKeyMismatchException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
}
