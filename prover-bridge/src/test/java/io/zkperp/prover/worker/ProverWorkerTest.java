package io.zkperp.prover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.prover.BatchProof;
import io.zkperp.prover.InvalidWitnessException;
import io.zkperp.prover.UnsatisfiableWitnessException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProverWorkerTest {

  @TempDir Path dir;

  /** Proves by hashing; witness[0] == 1 is unsatisfiable at tx 1, == 2 malformed, == 3 panics. */
  static final class FakeEngine implements ProverWorker.Engine {
    final List<JobId> proved = new CopyOnWriteArrayList<>();

    @Override
    public String shape() {
      return "tiny";
    }

    @Override
    public BatchProof prove(byte[] witness) {
      switch (witness[0]) {
        case 1 -> throw new UnsatisfiableWitnessException(1, "bad signature");
        case 2 -> throw new InvalidWitnessException(5, "bad tag");
        case 3 -> throw new IllegalStateException("boom");
        default -> {}
      }
      proved.add(JobId.of(0, 0, witness));
      return fakeProof(witness);
    }
  }

  static BatchProof fakeProof(byte[] witness) {
    byte[] h = JobId.sha256(witness);
    return new BatchProof(h, JobId.sha256(h), h);
  }

  static byte[] witness(int first) {
    byte[] w = JobCodecTest.witness(64, first * 31L + 7);
    w[0] = (byte) first;
    return w;
  }

  @Test
  void provesPendingJobsOnceAndWritesResults() throws Exception {
    JobStore store = new JobStore(dir);
    FakeEngine engine = new FakeEngine();
    List<String> log = new ArrayList<>();
    ProverWorker worker = new ProverWorker(store, engine, 3, log::add);
    ProofJob a = ProofJob.of(1, 1, "tiny", witness(0));
    ProofJob b = ProofJob.of(2, 2, "tiny", witness(10));
    store.submit(b);
    store.submit(a);
    assertThat(worker.runOnce()).isEqualTo(2);
    assertThat(store.result(a.id()).orElseThrow().proofOrThrow()).isEqualTo(fakeProof(a.witness()));
    assertThat(store.result(b.id()).orElseThrow().proofOrThrow()).isEqualTo(fakeProof(b.witness()));
    assertThat(log).anyMatch(l -> l.startsWith("worker-0 proving " + a.id()));
    assertThat(worker.runOnce()).as("nothing left: results are never redone").isZero();
    assertThat(new ProverWorker(store, engine, 3, log::add).runOnce()).isZero();
    assertThat(engine.proved).hasSize(2);
  }

  @Test
  void badWitnessesBecomePermanentFailures() throws Exception {
    JobStore store = new JobStore(dir);
    ProverWorker worker = new ProverWorker(store, new FakeEngine(), 3, l -> {});
    ProofJob unsat = ProofJob.of(1, 1, "tiny", witness(1));
    ProofJob malformed = ProofJob.of(2, 2, "tiny", witness(2));
    ProofJob panics = ProofJob.of(3, 3, "tiny", witness(3));
    ProofJob otherShape = ProofJob.of(4, 4, "devnet", witness(0));
    for (ProofJob j : List.of(unsat, malformed, panics, otherShape)) {
      store.submit(j);
    }
    assertThat(worker.runOnce()).isEqualTo(4);
    assertThatThrownBy(() -> store.result(unsat.id()).orElseThrow().proofOrThrow())
        .isInstanceOfSatisfying(
            UnsatisfiableWitnessException.class, e -> assertThat(e.txIndex()).isEqualTo(1));
    assertThatThrownBy(() -> store.result(malformed.id()).orElseThrow().proofOrThrow())
        .isInstanceOfSatisfying(
            InvalidWitnessException.class, e -> assertThat(e.offset()).isEqualTo(5));
    assertThat(store.result(panics.id()).orElseThrow())
        .isInstanceOfSatisfying(
            JobResult.Failed.class, f -> assertThat(f.kind()).isEqualTo(JobResult.Kind.INTERNAL));
    assertThat(store.result(otherShape.id()).orElseThrow())
        .isInstanceOfSatisfying(
            JobResult.Failed.class,
            f -> assertThat(f.kind()).isEqualTo(JobResult.Kind.WRONG_SHAPE));
  }

  @Test
  void corruptAndTruncatedJobFilesAreRejectedAndTheWorkerKeepsServing() throws Exception {
    JobStore store = new JobStore(dir);
    List<String> log = new ArrayList<>();
    ProverWorker worker = new ProverWorker(store, new FakeEngine(), 3, log::add);
    ProofJob truncated = ProofJob.of(1, 1, "tiny", witness(0));
    ProofJob flipped = ProofJob.of(2, 2, "tiny", witness(20));
    ProofJob good = ProofJob.of(3, 3, "tiny", witness(30));
    for (ProofJob j : List.of(truncated, flipped, good)) {
      store.submit(j);
    }
    byte[] t = Files.readAllBytes(store.jobFile(truncated.id()));
    Files.write(store.jobFile(truncated.id()), Arrays.copyOf(t, t.length / 2));
    byte[] f = Files.readAllBytes(store.jobFile(flipped.id()));
    f[40] ^= 0x10;
    Files.write(store.jobFile(flipped.id()), f);
    Files.writeString(store.jobFile(good.id()).resolveSibling("garbage.job"), "hello");

    assertThat(worker.runOnce()).isEqualTo(4);
    assertThat(store.result(good.id())).isPresent();
    assertThat(store.rejection(truncated.id()))
        .hasValueSatisfying(r -> assertThat(r).contains("truncated"));
    assertThat(store.rejection(flipped.id()))
        .hasValueSatisfying(r -> assertThat(r).contains("checksum"));
    assertThat(store.root().resolve("rejected/garbage.job")).exists();
    assertThat(store.pending()).isEmpty();
    assertThat(log).anyMatch(l -> l.startsWith("rejected job file"));
  }

  @Test
  void aCorruptResultIsMovedAsideAndTheJobProvedAgain() throws Exception {
    JobStore store = new JobStore(dir);
    FakeEngine engine = new FakeEngine();
    ProverWorker worker = new ProverWorker(store, engine, 3, l -> {});
    ProofJob job = ProofJob.of(1, 1, "tiny", witness(0));
    store.submit(job);
    worker.runOnce();
    Path result = store.resultFile(job.id());
    byte[] r = Files.readAllBytes(result);
    Files.write(result, Arrays.copyOf(r, r.length - 1));
    assertThat(store.result(job.id())).as("a corrupt result reads as absent").isEmpty();
    ProverWorker restarted = new ProverWorker(store, engine, 3, l -> {});
    assertThat(restarted.runOnce()).isEqualTo(2); // one rejected result, one job proved again
    assertThat(store.result(job.id())).isPresent();
    assertThat(engine.proved).hasSize(2);
  }

  @Test
  void aJobThatKeepsKillingTheWorkerFailsAfterMaxAttempts() throws Exception {
    JobStore store = new JobStore(dir);
    ProofJob job = ProofJob.of(1, 1, "tiny", witness(0));
    store.submit(job);
    // three earlier attempts died without a result
    for (int i = 0; i < 3; i++) {
      store.recordAttempt(job.id());
    }
    FakeEngine engine = new FakeEngine();
    new ProverWorker(store, engine, 3, l -> {}).runOnce();
    assertThat(engine.proved).isEmpty();
    assertThat(store.result(job.id()).orElseThrow())
        .isInstanceOfSatisfying(
            JobResult.Failed.class,
            f -> {
              assertThat(f.kind()).isEqualTo(JobResult.Kind.CRASHED);
              assertThat(f.detail()).isEqualTo(3);
            });
    assertThatThrownBy(() -> store.result(job.id()).orElseThrow().proofOrThrow())
        .isInstanceOf(WorkerFailureException.class);
  }
}
