package io.zkperp.prover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.prover.BatchProof;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStoreTest {

  @TempDir Path dir;

  @Test
  void submitIsIdempotentAndPendingIsInBatchOrder() throws Exception {
    JobStore store = new JobStore(dir);
    ProofJob late = ProofJob.of(10, 10, "tiny", JobCodecTest.witness(50, 1));
    ProofJob early = ProofJob.of(2, 3, "tiny", JobCodecTest.witness(50, 2));
    assertThat(store.submit(late)).isTrue();
    assertThat(store.submit(early)).isTrue();
    assertThat(store.submit(late)).isFalse();
    assertThat(store.pending()).containsExactly(early.id(), late.id());
    assertThat(store.readJob(early.id())).isEqualTo(early);

    store.writeResult(
        new JobResult.Proved(
            early.id(), new BatchProof(new byte[] {1}, new byte[] {2}, new byte[32])));
    assertThat(store.pending()).containsExactly(late.id());
    assertThat(store.submit(early)).as("a job with a result is not written again").isFalse();
    assertThat(store.result(early.id())).isPresent();

    store.remove(early.id());
    assertThat(store.result(early.id())).isEmpty();
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp")))
          .as("no temporary files left")
          .isEmpty();
    }
  }

  @Test
  void aCorruptJobFileIsReplacedOnResubmission() throws Exception {
    JobStore store = new JobStore(dir);
    ProofJob job = ProofJob.of(1, 1, "tiny", JobCodecTest.witness(50, 3));
    store.submit(job);
    byte[] bytes = Files.readAllBytes(store.jobFile(job.id()));
    Files.write(store.jobFile(job.id()), java.util.Arrays.copyOf(bytes, 20));
    assertThatThrownBy(() -> store.readJob(job.id())).isInstanceOf(CorruptJobException.class);
    assertThat(store.submit(job)).isTrue();
    assertThat(store.readJob(job.id())).isEqualTo(job);
  }

  @Test
  void rejectionMovesTheFileAsideWithItsReason() throws Exception {
    JobStore store = new JobStore(dir);
    ProofJob job = ProofJob.of(1, 1, "tiny", JobCodecTest.witness(50, 4));
    store.submit(job);
    Path moved = store.reject(store.jobFile(job.id()), "checksum mismatch");
    assertThat(moved).exists();
    assertThat(store.jobFile(job.id())).doesNotExist();
    assertThat(store.rejection(job.id())).contains("checksum mismatch");
    assertThat(store.pending()).isEmpty();
    store.clearRejection(job.id());
    assertThat(store.rejection(job.id())).isEmpty();
  }

  @Test
  void attemptsAreCountedDurably() throws Exception {
    JobStore store = new JobStore(dir);
    JobId id = JobId.of(1, 1, new byte[] {1});
    assertThat(store.attempts(id)).isZero();
    assertThat(store.recordAttempt(id)).isEqualTo(1);
    assertThat(new JobStore(dir).recordAttempt(id)).isEqualTo(2);
    assertThat(store.attempts(id)).isEqualTo(2);
  }
}
