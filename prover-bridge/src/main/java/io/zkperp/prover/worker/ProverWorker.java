package io.zkperp.prover.worker;

import io.zkperp.prover.BatchProof;
import io.zkperp.prover.InvalidWitnessException;
import io.zkperp.prover.ProvingKeyMismatchException;
import io.zkperp.prover.UnsatisfiableWitnessException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The job loop of the worker process: takes the pending jobs of a {@link JobStore} in batch order,
 * proves each with an {@link Engine} and writes its result. A job with a result is never proved
 * again. Before each attempt the attempt count is stored durably; a job whose count exceeds the
 * limit (the worker died on it that often) gets a {@link JobResult.Kind#CRASHED} failure instead of
 * another attempt. Corrupt job files and corrupt result files are moved to {@code rejected/} (a
 * corrupt result's job is then proved again); nothing a job file contains stops the loop.
 *
 * <p>Several workers (threads or processes) may serve one directory: a worker proves a job only
 * while it holds the job's claim ({@link JobStore#tryClaim}) and skips jobs others hold, so no job
 * is proved by two at once, and a job whose worker died is free for the next scan of any worker.
 * After each result the worker stores its counters ({@link WorkerStats}).
 *
 * <p>Not thread-safe: one thread runs {@link #run} or {@link #runOnce}; {@link #stop} may be called
 * from any thread.
 */
public final class ProverWorker {

  /** What proves; in the worker process a {@link io.zkperp.prover.BatchProver}. */
  public interface Engine {
    /**
     * Returns the shape this engine proves.
     *
     * @return the circuit shape name
     */
    String shape();

    /**
     * Proves a witness; called by the worker's loop thread only.
     *
     * @param witness the witness
     * @return the proof
     */
    BatchProof prove(byte[] witness);
  }

  private final JobStore store;
  private final Engine engine;
  private final int maxAttempts;
  private final Consumer<String> log;
  private final String name;
  private final String claimant;
  private WorkerStats stats;
  private final Set<JobId> checkedResults = new HashSet<>();
  private volatile boolean stopped;

  /**
   * Creates a worker loop.
   *
   * @param store the job directory
   * @param engine the prover
   * @param maxAttempts attempts per job before it fails as {@link JobResult.Kind#CRASHED}
   * @param log receives one line per event
   */
  public ProverWorker(JobStore store, Engine engine, int maxAttempts, Consumer<String> log) {
    this(store, engine, maxAttempts, log, "worker-0");
  }

  /**
   * Creates a worker loop with a name (several workers may serve one directory).
   *
   * @param store the job directory
   * @param engine the prover
   * @param maxAttempts attempts per job before it fails as {@link JobResult.Kind#CRASHED}
   * @param log receives one line per event
   * @param name the worker's name in claims and counters, e.g. {@code worker-1}
   */
  public ProverWorker(
      JobStore store, Engine engine, int maxAttempts, Consumer<String> log, String name) {
    this.name = Objects.requireNonNull(name, "name");
    this.claimant = name + " pid " + ProcessHandle.current().pid();
    this.store = Objects.requireNonNull(store, "store");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.log = Objects.requireNonNull(log, "log");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.maxAttempts = maxAttempts;
  }

  /**
   * This worker's counters (as stored after its last result). The loop thread.
   *
   * @return the counters
   * @throws IOException if the stored counters cannot be read
   */
  public WorkerStats stats() throws IOException {
    if (stats == null) {
      stats = store.stats(name).orElse(WorkerStats.empty(name));
    }
    return stats;
  }

  /**
   * Runs until {@link #stop()} is called or the thread is interrupted, scanning for jobs every
   * {@code poll} when idle. I/O errors of one scan are logged and the loop goes on.
   *
   * @param poll the idle interval
   */
  public void run(Duration poll) {
    try {
      store.cleanTemporaries();
    } catch (IOException e) {
      log.accept("cannot clean temporary files: " + e);
    }
    while (!stopped && !Thread.currentThread().isInterrupted()) {
      int done;
      try {
        done = runOnce();
      } catch (IOException e) {
        log.accept("scan failed: " + e);
        done = 0;
      }
      if (done == 0) {
        try {
          Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Makes {@link #run} return after the job in progress. Any thread. */
  public void stop() {
    stopped = true;
  }

  /**
   * One pass over the directory: rejects corrupt files and processes every pending job.
   *
   * @return how many jobs got a result or were rejected
   * @throws IOException if the directory cannot be listed
   */
  public int runOnce() throws IOException {
    int done = rejectCorruptResults();
    for (Path stray : store.strayJobFiles()) {
      rejectQuietly(stray, "not a job file name (expected b<first>-<last>-<sha256>.job)");
      done++;
    }
    List<JobId> pending = store.pending();
    for (JobId id : pending) {
      if (stopped) {
        break;
      }
      if (process(id)) {
        done++;
      }
    }
    return done;
  }

  /**
   * Processes one job.
   *
   * @param id the job
   * @return true if the job got a result or was rejected, false if it vanished
   * @throws IOException if the result cannot be written
   */
  boolean process(JobId id) throws IOException {
    if (Files.exists(store.resultFile(id))) {
      return false;
    }
    java.util.Optional<JobStore.Claim> claim = store.tryClaim(id, claimant);
    if (claim.isEmpty()) {
      return false; // another worker proves it
    }
    try {
      if (Files.exists(store.resultFile(id))) {
        return false; // finished by another worker between the listing and the claim
      }
      return processClaimed(id);
    } finally {
      claim.get().close();
    }
  }

  private boolean processClaimed(JobId id) throws IOException {
    ProofJob job;
    try {
      job = store.readJob(id);
    } catch (CorruptJobException e) {
      log.accept("rejected job file: " + e.getMessage());
      rejectQuietly(store.jobFile(id), e.getMessage());
      return true;
    } catch (NoSuchFileException e) {
      return false; // removed by the caller meanwhile
    }
    if (!job.shape().equals(engine.shape())) {
      return finish(
          new JobResult.Failed(
              id,
              JobResult.Kind.WRONG_SHAPE,
              -1,
              "job is for shape " + job.shape() + ", this worker proves " + engine.shape()));
    }
    int attempt = store.recordAttempt(id);
    if (attempt > maxAttempts) {
      return finish(
          new JobResult.Failed(
              id,
              JobResult.Kind.CRASHED,
              attempt - 1,
              "the worker died " + (attempt - 1) + " times proving this job; giving up"));
    }
    log.accept(name + " proving " + id + " (attempt " + attempt + " of " + maxAttempts + ")");
    long start = System.nanoTime();
    JobResult result;
    try {
      BatchProof proof = engine.prove(job.witness());
      result = new JobResult.Proved(id, proof);
    } catch (UnsatisfiableWitnessException e) {
      result = new JobResult.Failed(id, JobResult.Kind.UNSATISFIABLE, e.txIndex(), e.getMessage());
    } catch (InvalidWitnessException e) {
      result = new JobResult.Failed(id, JobResult.Kind.INVALID_WITNESS, e.offset(), e.getMessage());
    } catch (ProvingKeyMismatchException e) {
      result = new JobResult.Failed(id, JobResult.Kind.KEY_MISMATCH, -1, e.getMessage());
    } catch (RuntimeException e) {
      result = new JobResult.Failed(id, JobResult.Kind.INTERNAL, -1, String.valueOf(e));
    }
    log.accept(
        name
            + (result instanceof JobResult.Proved ? " proved " : " failed ")
            + id
            + " in "
            + Duration.ofNanos(System.nanoTime() - start).toMillis()
            + " ms"
            + (result instanceof JobResult.Failed f ? ": " + f.kind() + " " + f.message() : ""));
    long took = System.nanoTime() - start;
    finish(result);
    try {
      stats = result instanceof JobResult.Proved ? stats().withProof(took) : stats().withFailure();
      store.writeStats(stats);
    } catch (IOException e) {
      log.accept("cannot store the worker's counters: " + e);
    }
    return true;
  }

  private boolean finish(JobResult result) throws IOException {
    store.writeResult(result);
    checkedResults.add(result.id());
    return true;
  }

  private int rejectCorruptResults() throws IOException {
    int rejected = 0;
    try (Stream<Path> files = Files.list(store.resultsDir())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String n = p.getFileName().toString();
        if (!n.endsWith(JobStore.RESULT_SUFFIX)) {
          continue;
        }
        JobId id =
            JobId.parse(n.substring(0, n.length() - JobStore.RESULT_SUFFIX.length())).orElse(null);
        if (id == null || checkedResults.contains(id)) {
          continue;
        }
        try {
          store.readResult(id);
          checkedResults.add(id);
        } catch (CorruptJobException e) {
          log.accept("rejected result file (the job will be proved again): " + e.getMessage());
          rejectQuietly(p, e.getMessage());
          rejected++;
        } catch (NoSuchFileException e) {
          // removed by the caller meanwhile
        }
      }
    }
    return rejected;
  }

  private void rejectQuietly(Path file, String reason) {
    try {
      store.reject(file, reason);
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      log.accept("cannot move " + file + " aside: " + e);
    }
  }
}
