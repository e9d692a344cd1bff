package io.zkperp.prover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.prover.BatchProof;
import io.zkperp.prover.UnsatisfiableWitnessException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor and the worker process with a fake engine (no native prover, so these run on any
 * platform): SIGKILL mid-proof, corrupt job files, idempotent submission, fatal start failures.
 * {@link ProverWorkerRealProverIT} repeats the kill test with the real gnark prover.
 */
class ProverWorkerClientIT {

  @TempDir Path dir;

  WorkerOptions options(String shape, long proveMillis) {
    return WorkerOptions.defaults(dir.resolve("jobs"), shape)
        .withKeyDir(dir.resolve("keys"))
        .withBounds("64m", 1, "256MiB")
        .withTiming(Duration.ofMillis(50), 3, Duration.ofSeconds(1))
        .withMainClass(
            FakeWorkerMain.class.getName(),
            List.of("-Dzkperp.fake.proveMillis=" + proveMillis, "-XX:TieredStopAtLevel=1"));
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  static int attempts(JobStore store, JobId id) {
    try {
      return store.attempts(id);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void sigkillMidProofIsRetriedAndCompletes() throws Exception {
    try (ProverWorkerClient client = ProverWorkerClient.start(options("tiny", 3000))) {
      byte[] witness = ProverWorkerTest.witness(0);
      JobId id = client.submit(5, 6, witness);
      CompletableFuture<BatchProof> proof = client.result(id);
      await("the first attempt", Duration.ofSeconds(60), () -> attempts(client.store(), id) == 1);
      ProcessHandle first = client.worker().orElseThrow();
      assertThat(first.destroyForcibly()).isTrue(); // SIGKILL, mid-proof
      assertThat(proof.get(60, TimeUnit.SECONDS)).isEqualTo(ProverWorkerTest.fakeProof(witness));
      assertThat(client.store().attempts(id)).isEqualTo(2);
      assertThat(client.restarts()).isEqualTo(1);
      assertThat(client.worker().orElseThrow().pid()).isNotEqualTo(first.pid());
      assertThat(Files.readString(client.logFile()))
          .as("the worker runs with the bounds of the options")
          .containsPattern("heap max 6[0-4] MiB, GOMAXPROCS=1, GOMEMLIMIT=256MiB")
          .contains("worker 0 exited with code 137")
          .contains("worker-0 proving " + id + " (attempt 2 of 3)");
      // submitting the finished job again is a no-op that returns the same id and proof
      assertThat(client.submit(5, 6, witness)).isEqualTo(id);
      assertThat(client.prove(5, 6, witness).get(5, TimeUnit.SECONDS))
          .isEqualTo(ProverWorkerTest.fakeProof(witness));
      assertThat(client.store().attempts(id)).isEqualTo(2);
    }
  }

  @Test
  void twoWorkersShareTheJobsAndAKilledWorkersJobIsFinished() throws Exception {
    try (ProverWorkerClient client =
        ProverWorkerClient.start(options("tiny", 1500).withWorkers(2))) {
      assertThat(client.workers()).isEqualTo(2);
      List<JobId> ids = new java.util.ArrayList<>();
      List<CompletableFuture<BatchProof>> proofs = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        JobId id = client.submit(i + 1, i + 1, ProverWorkerTest.witness(20 + i));
        ids.add(id);
        proofs.add(client.result(id));
      }
      JobId first = ids.get(0);
      await(
          "both workers proving",
          Duration.ofSeconds(60),
          () ->
              attempts(client.store(), ids.get(0)) == 1
                  && attempts(client.store(), ids.get(1)) == 1);
      int victim = client.provingWorker(first).orElseThrow();
      ProcessHandle killed = client.worker(victim).orElseThrow();
      assertThat(killed.destroyForcibly()).isTrue(); // SIGKILL, mid-proof
      for (int i = 0; i < 4; i++) {
        assertThat(proofs.get(i).get(60, TimeUnit.SECONDS))
            .isEqualTo(ProverWorkerTest.fakeProof(ProverWorkerTest.witness(20 + i)));
      }
      assertThat(client.store().attempts(first)).as("retried once after the kill").isEqualTo(2);
      assertThat(client.restarts(victim)).isEqualTo(1);
      assertThat(client.restarts(1 - victim)).isZero();
      long proven = client.stats(0).proven() + client.stats(1).proven();
      assertThat(proven).as("every job proven exactly once").isEqualTo(4);
      assertThat(client.stats(1 - victim).proven()).as("the survivor proved").isPositive();
      assertThat(Files.readString(client.logFile()))
          .contains("starting worker-0")
          .contains("starting worker-1")
          .contains("worker " + victim + " exited with code 137");
    }
  }

  @Test
  void corruptJobFilesAreRejectedAndTheWorkerKeepsServing() throws Exception {
    try (ProverWorkerClient client = ProverWorkerClient.start(options("tiny", 10))) {
      JobStore store = client.store();
      await("the worker", Duration.ofSeconds(30), () -> client.worker().isPresent());
      long pid = client.worker().orElseThrow().pid();

      // a truncated job file written by someone else (not through the client)
      ProofJob broken = ProofJob.of(1, 1, "tiny", ProverWorkerTest.witness(0));
      byte[] bytes = JobCodec.encodeJob(broken);
      Path tmp = store.root().resolve("broken.tmp-copy");
      Files.write(tmp, Arrays.copyOf(bytes, bytes.length - 10));
      Files.move(tmp, store.jobFile(broken.id()));
      CompletableFuture<BatchProof> brokenResult = client.result(broken.id());

      byte[] good = ProverWorkerTest.witness(40);
      byte[] unsat = ProverWorkerTest.witness(1);
      CompletableFuture<BatchProof> goodProof = client.prove(2, 2, good);
      CompletableFuture<BatchProof> unsatProof = client.prove(3, 3, unsat);

      assertThat(goodProof.get(30, TimeUnit.SECONDS)).isEqualTo(ProverWorkerTest.fakeProof(good));
      assertThatThrownBy(() -> unsatProof.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              UnsatisfiableWitnessException.class, e -> assertThat(e.txIndex()).isZero());
      assertThatThrownBy(() -> brokenResult.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(CorruptJobException.class)
          .hasMessageContaining("truncated");
      assertThat(store.root().resolve("rejected").resolve(broken.id().name() + ".job")).exists();
      assertThat(client.worker().orElseThrow().pid()).as("same worker process").isEqualTo(pid);
      assertThat(client.restarts()).isZero();
    }
  }

  @Test
  void aJobFileDamagedOnDiskIsWrittenAgainFromTheWitnessTheClientHolds() throws Exception {
    try (ProverWorkerClient client = ProverWorkerClient.start(options("tiny", 1500))) {
      byte[] first = ProverWorkerTest.witness(60);
      byte[] second = ProverWorkerTest.witness(70);
      JobId a = client.submit(1, 1, first);
      CompletableFuture<BatchProof> aProof = client.result(a);
      await(
          "the worker to be busy", Duration.ofSeconds(30), () -> attempts(client.store(), a) == 1);
      CompletableFuture<BatchProof> bProof = client.prove(2, 2, second);
      Path bFile = client.store().jobFile(JobId.of(2, 2, second));
      byte[] bytes = Files.readAllBytes(bFile);
      bytes[bytes.length - 1] ^= 0x40; // damage the checksum while the worker is busy with a
      Files.write(bFile, bytes);
      assertThat(aProof.get(30, TimeUnit.SECONDS)).isEqualTo(ProverWorkerTest.fakeProof(first));
      assertThat(bProof.get(30, TimeUnit.SECONDS)).isEqualTo(ProverWorkerTest.fakeProof(second));
      assertThat(Files.readString(client.logFile()))
          .contains("rejected job file")
          .contains("was rejected (")
          .contains("writing it again");
      assertThat(client.restarts()).isZero();
    }
  }

  @Test
  void aHungAttemptIsKilledAfterTheJobTimeoutAndTheJobFailsAfterMaxAttempts() throws Exception {
    WorkerOptions hung =
        options("tiny", 600_000)
            .withTiming(Duration.ofMillis(50), 2, Duration.ofMillis(200))
            .withJobTimeout(Duration.ofSeconds(2));
    try (ProverWorkerClient client = ProverWorkerClient.start(hung)) {
      CompletableFuture<BatchProof> proof = client.prove(1, 1, ProverWorkerTest.witness(0));
      assertThatThrownBy(() -> proof.get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(WorkerFailureException.class)
          .hasMessageContaining("CRASHED")
          .hasMessageContaining("died 2 times");
      assertThat(client.restarts()).isEqualTo(2);
      assertThat(Files.readString(client.logFile())).contains("has run longer than PT2S");
    }
  }

  @Test
  void aWorkerThatCannotStartFailsTheFuturesInsteadOfLooping() throws Exception {
    try (ProverWorkerClient client = ProverWorkerClient.start(options("mismatch", 10))) {
      CompletableFuture<BatchProof> proof = client.prove(1, 1, ProverWorkerTest.witness(0));
      assertThatThrownBy(() -> proof.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(WorkerFailureException.class)
          .hasMessageContaining("exit code " + ProverWorkerMain.EXIT_KEY_MISMATCH);
      assertThat(client.restarts()).isEqualTo(1);
      assertThat(Files.readString(client.logFile())).contains("key mismatch");
    }
  }

  @Test
  void closingTheClientStopsTheWorkerAndJobsSurviveForTheNextOne() throws Exception {
    byte[] witness = ProverWorkerTest.witness(50);
    JobId id;
    ProcessHandle worker;
    try (ProverWorkerClient client = ProverWorkerClient.start(options("tiny", 60_000))) {
      id = client.submit(9, 9, witness);
      await("the first attempt", Duration.ofSeconds(30), () -> attempts(client.store(), id) == 1);
      worker = client.worker().orElseThrow();
    }
    assertThat(worker.isAlive()).isFalse();
    try (ProverWorkerClient client = ProverWorkerClient.start(options("tiny", 10))) {
      assertThat(client.result(id).get(30, TimeUnit.SECONDS))
          .isEqualTo(ProverWorkerTest.fakeProof(witness));
    }
  }
}
