package io.zkperp.prover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.prover.BatchProof;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.GoldenBatches;
import io.zkperp.prover.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of the prover worker with the real gnark prover (tiny shape): the worker
 * process is SIGKILLed in the middle of a proof, restarted by the supervisor, retries the job and
 * completes it; this JVM (the caller) is unaffected. Then a truncated job file is rejected while
 * the same worker process goes on proving.
 */
class ProverWorkerRealProverIT {

  @TempDir Path dir;

  @Test
  void killedMidProofTheJobIsRetriedAndCompletesAndCorruptJobsAreRejected() throws Exception {
    List<GoldenBatches.Batch> valid =
        GoldenBatches.of("tiny").stream().filter(GoldenBatches.Batch::valid).toList();
    GoldenBatches.Batch first = valid.get(0);
    GoldenBatches.Batch second = valid.get(1);
    // make sure the keys exist (and are current) before timing anything in the worker
    try (BatchProver p = GoldenBatches.openProver("tiny", ProgressListener.none())) {
      assertThat(p.witnessSize()).isEqualTo(first.witness().length);
    }
    WorkerOptions options =
        WorkerOptions.defaults(dir.resolve("jobs"), "tiny")
            .withKeyDir(GoldenBatches.keyDir())
            .withBounds("128m", 2, "2GiB")
            .withTiming(Duration.ofMillis(50), 3, Duration.ofSeconds(1));
    try (ProverWorkerClient client = ProverWorkerClient.start(options)) {
      JobId id = client.submit(first.batchNumber(), first.batchNumber(), first.witness());
      CompletableFuture<BatchProof> proof = client.result(id);
      ProverWorkerClientIT.await(
          "the first attempt",
          Duration.ofMinutes(5),
          () -> ProverWorkerClientIT.attempts(client.store(), id) == 1);
      Thread.sleep(300); // decoding and solving take a moment; be inside groth16.Prove
      ProcessHandle killed = client.worker().orElseThrow();
      long killedAt = System.nanoTime();
      assertThat(killed.destroyForcibly()).isTrue(); // SIGKILL
      assertThat(client.store().result(id)).as("no result from the killed attempt").isEmpty();

      BatchProof result = proof.get(5, TimeUnit.MINUTES);
      System.out.printf(
          "job %s completed %d ms after the SIGKILL%n",
          id, (System.nanoTime() - killedAt) / 1_000_000);
      assertThat(result.publicInputHex()).isEqualTo(first.publicInput());
      assertThat(client.store().attempts(id)).isEqualTo(2);
      assertThat(client.restarts()).isEqualTo(1);
      String log = Files.readString(client.logFile());
      assertThat(log)
          .contains("worker 0 exited with code 137")
          .contains("worker-0 proving " + id + " (attempt 1 of 3)")
          .contains("worker-0 proving " + id + " (attempt 2 of 3)");
      try (BatchProver verifier = GoldenBatches.openProver("tiny", ProgressListener.none())) {
        assertThat(verifier.verify(result)).as("the worker's proof verifies here").isTrue();
      }

      // a truncated job file: rejected, and the same worker keeps serving
      long pid = client.worker().orElseThrow().pid();
      ProofJob broken = ProofJob.of(100, 100, "tiny", second.witness());
      byte[] bytes = JobCodec.encodeJob(broken);
      Path tmp = dir.resolve("broken");
      Files.write(tmp, Arrays.copyOf(bytes, bytes.length / 2));
      Files.move(tmp, client.store().jobFile(broken.id()));
      CompletableFuture<BatchProof> brokenResult = client.result(broken.id());
      BatchProof secondProof =
          client
              .prove(second.batchNumber(), second.batchNumber(), second.witness())
              .get(5, TimeUnit.MINUTES);
      assertThat(secondProof.publicInputHex()).isEqualTo(second.publicInput());
      assertThatThrownBy(() -> brokenResult.get(1, TimeUnit.MINUTES))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(CorruptJobException.class)
          .hasMessageContaining("truncated");
      assertThat(client.worker().orElseThrow().pid()).isEqualTo(pid);
      assertThat(client.restarts()).isEqualTo(1);
    }
  }
}
