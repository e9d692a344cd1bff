package io.zkperp.prover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.prover.BatchProof;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims on one job directory, and several worker loops serving it at once. */
class SeveralWorkersTest {

  @TempDir Path dir;

  @Test
  void aHeldClaimExcludesEveryOtherClaimantUntilReleased() throws Exception {
    JobStore store = new JobStore(dir);
    ProofJob job = ProofJob.of(1, 1, "tiny", ProverWorkerTest.witness(0));
    store.submit(job);
    Optional<JobStore.Claim> first = store.tryClaim(job.id(), "worker-0 pid 1");
    assertThat(first).isPresent();
    assertThat(store.tryClaim(job.id(), "worker-1 pid 2")).as("held by worker-0").isEmpty();
    assertThat(store.lastClaimant(job.id())).contains("worker-0 pid 1");
    first.get().close();
    try (JobStore.Claim second = store.tryClaim(job.id(), "worker-1 pid 2").orElseThrow()) {
      assertThat(second.id()).isEqualTo(job.id());
      assertThat(store.lastClaimant(job.id())).contains("worker-1 pid 2");
    }
    store.remove(job.id());
    assertThat(store.lastClaimant(job.id())).as("removed with the job").isEmpty();
  }

  @Test
  void aWorkerSkipsAJobAnotherHoldsAndTakesItOnceReleased() throws Exception {
    JobStore store = new JobStore(dir);
    ProverWorkerTest.FakeEngine engine = new ProverWorkerTest.FakeEngine();
    ProverWorker worker = new ProverWorker(store, engine, 3, l -> {}, "worker-1");
    ProofJob job = ProofJob.of(1, 1, "tiny", ProverWorkerTest.witness(0));
    store.submit(job);
    JobStore.Claim other = store.tryClaim(job.id(), "worker-0 pid 1").orElseThrow();
    assertThat(worker.runOnce()).isZero();
    assertThat(store.attempts(job.id())).as("no attempt without the claim").isZero();
    assertThat(engine.proved).isEmpty();
    other.close(); // worker-0 died: its lock is gone
    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(store.result(job.id()).orElseThrow().proofOrThrow())
        .isEqualTo(ProverWorkerTest.fakeProof(job.witness()));
    assertThat(store.stats("worker-1").orElseThrow().proven()).isEqualTo(1);
  }

  @Test
  void threeWorkersProveEveryJobExactlyOnceAndShareTheWork() throws Exception {
    JobStore store = new JobStore(dir);
    int jobs = 12;
    List<ProofJob> submitted = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      ProofJob j = ProofJob.of(i + 1, i + 1, "tiny", ProverWorkerTest.witness(10 + i));
      store.submit(j);
      submitted.add(j);
    }
    Map<JobId, AtomicInteger> provedCount = new ConcurrentHashMap<>();
    CountDownLatch started = new CountDownLatch(3);
    List<ProverWorker> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      ProverWorker.Engine engine =
          new ProverWorker.Engine() {
            @Override
            public String shape() {
              return "tiny";
            }

            @Override
            public BatchProof prove(byte[] witness) {
              started.countDown();
              provedCount
                  .computeIfAbsent(JobId.of(0, 0, witness), k -> new AtomicInteger())
                  .incrementAndGet();
              try {
                Thread.sleep(40); // long enough for the others to scan the same job meanwhile
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return ProverWorkerTest.fakeProof(witness);
            }
          };
      ProverWorker worker = new ProverWorker(store, engine, 3, l -> {}, "worker-" + w);
      workers.add(worker);
      Thread t = new Thread(() -> worker.run(java.time.Duration.ofMillis(5)), "test-worker-" + w);
      threads.add(t);
      t.start();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!store.pending().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    for (ProverWorker w : workers) {
      w.stop();
    }
    for (Thread t : threads) {
      t.join(5_000);
    }
    assertThat(store.pending()).isEmpty();
    for (ProofJob j : submitted) {
      assertThat(store.result(j.id()).orElseThrow().proofOrThrow())
          .isEqualTo(ProverWorkerTest.fakeProof(j.witness()));
      assertThat(provedCount.get(JobId.of(0, 0, j.witness())).get())
          .as("job %s proved once", j.id())
          .isEqualTo(1);
      assertThat(store.attempts(j.id())).isEqualTo(1);
    }
    long total = 0;
    int busy = 0;
    for (int w = 0; w < 3; w++) {
      WorkerStats s = store.stats("worker-" + w).orElse(WorkerStats.empty("worker-" + w));
      total += s.proven();
      busy += s.proven() > 0 ? 1 : 0;
      assertThat(s.failed()).isZero();
    }
    assertThat(total).isEqualTo(jobs);
    assertThat(busy).as("the work is shared").isGreaterThanOrEqualTo(2);
  }

  @Test
  void statsRoundTripAndRejectIncompleteText() {
    WorkerStats s = WorkerStats.empty("worker-2").withProof(5_000).withProof(7_000).withFailure();
    assertThat(s.proven()).isEqualTo(2);
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.proveNanosTotal()).isEqualTo(12_000);
    assertThat(s.lastProveNanos()).isEqualTo(7_000);
    assertThat(WorkerStats.decode("worker-2", s.encode())).contains(s);
    assertThat(WorkerStats.decode("worker-2", "proven=1\n")).isEmpty();
    assertThat(WorkerStats.decode("worker-2", "proven=x\nfailed=0\nproveNanosTotal=0\n")).isEmpty();
    assertThat(WorkerStats.decode("worker-2", "proven=-1\nfailed=0\nproveNanosTotal=0\n"))
        .isEmpty();
  }

  @Test
  void workersSharingTheMachineDivideItsCoresAndMemory() {
    WorkerOptions one = WorkerOptions.defaults(dir, "tiny");
    assertThat(one.workers()).isEqualTo(1);
    WorkerOptions two = one.withWorkersSharingMachine(2);
    assertThat(two.workers()).isEqualTo(2);
    assertThat(two.goMaxProcs())
        .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    long halfMib = WorkerOptions.totalMemoryBytes() / 2 >> 20;
    assertThat(two.goMemLimit()).isEqualTo(Math.max(256, halfMib / 2) + "MiB");
    assertThat(two.withWorkers(3).goMaxProcs())
        .as("withWorkers keeps the bounds")
        .isEqualTo(two.goMaxProcs());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> one.withWorkers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 64");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> one.withWorkersSharingMachine(65))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
