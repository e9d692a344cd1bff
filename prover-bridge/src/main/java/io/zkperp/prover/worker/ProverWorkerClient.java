package io.zkperp.prover.worker;

import io.zkperp.prover.BatchProof;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The caller's side of the prover worker: writes jobs, runs and supervises the worker process, and
 * hands results back as futures.
 *
 * <p>{@link #start} launches the worker ({@link WorkerOptions#mainClass()}) with this JVM's {@code
 * java} binary and class path, bounded by {@code -Xmx}, {@code GOMAXPROCS} and {@code GOMEMLIMIT},
 * its output appended to {@code <jobDir>/worker.log}. A supervisor thread restarts it whenever it
 * exits (backing off while it keeps dying), except after a configuration exit code of {@link
 * ProverWorkerMain} (then every waiting future fails), and kills it when an attempt runs longer
 * than {@link WorkerOptions#jobTimeout()}. Because jobs are durable files, a restarted worker
 * simply proves the unfinished job again; nothing is resubmitted by hand, except a job whose file
 * the worker rejected as corrupt: the client writes it once more from the witness it still holds.
 *
 * <p>Thread-safe: any thread may submit and wait. Futures are completed on the client's polling
 * thread ({@code zkperp-prover-results}); chain long work with the {@code ...Async} methods. Only
 * one worker (and so one client) may serve a job directory at a time.
 */
public final class ProverWorkerClient implements AutoCloseable {

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration HEALTHY_RUN = Duration.ofSeconds(30);

  private final WorkerOptions options;
  private final JobStore store;
  private final Path log;
  private final Map<JobId, Waiting> waiting = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller;
  private final Thread supervisor;
  private final AtomicInteger restarts = new AtomicInteger();
  private volatile Process worker;
  private Process timedOut; // the worker killed for a timeout (polling thread only)
  private volatile boolean closed;
  private volatile String fatal;

  private static final class Waiting {
    final CompletableFuture<BatchProof> future = new CompletableFuture<>();
    volatile ProofJob job; // null if submitted by an earlier process
    volatile boolean resubmitted;
  }

  private ProverWorkerClient(WorkerOptions options) throws IOException {
    this.options = options;
    this.store = new JobStore(options.jobDir());
    this.log = store.root().resolve("worker.log");
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "zkperp-prover-results");
              t.setDaemon(true);
              return t;
            });
    this.supervisor = new Thread(this::supervise, "zkperp-prover-supervisor");
    this.supervisor.setDaemon(true);
  }

  /**
   * Creates the job directory if needed and starts the worker process and its supervisor.
   *
   * @param options how to run the worker
   * @return the client; close it to stop the worker
   * @throws IOException if the job directory cannot be created or the worker cannot be started
   */
  public static ProverWorkerClient start(WorkerOptions options) throws IOException {
    ProverWorkerClient c = new ProverWorkerClient(Objects.requireNonNull(options, "options"));
    c.worker = c.launch();
    c.supervisor.start();
    long ms = options.poll().toMillis();
    c.poller.scheduleWithFixedDelay(c::pollResults, ms, ms, TimeUnit.MILLISECONDS);
    return c;
  }

  /**
   * Writes a job for the worker unless the same job (same batch range and witness) exists or has a
   * result already: submitting twice is harmless.
   *
   * @param firstBatch first batch number proven
   * @param lastBatch last batch number proven
   * @param witness the witness (not copied; do not modify it afterwards)
   * @return the job id
   * @throws IOException if the job file cannot be written
   */
  public JobId submit(long firstBatch, long lastBatch, byte[] witness) throws IOException {
    ProofJob job = ProofJob.of(firstBatch, lastBatch, options.shape(), witness);
    store.submit(job);
    waiting.computeIfAbsent(job.id(), k -> new Waiting()).job = job;
    return job.id();
  }

  /**
   * Submits a job and returns its future result.
   *
   * @param firstBatch first batch number proven
   * @param lastBatch last batch number proven
   * @param witness the witness (not copied)
   * @return the proof's future; it fails with {@link
   *     io.zkperp.prover.UnsatisfiableWitnessException}, {@link
   *     io.zkperp.prover.InvalidWitnessException}, {@link CorruptJobException} or {@link
   *     WorkerFailureException}
   * @throws IOException if the job file cannot be written
   */
  public CompletableFuture<BatchProof> prove(long firstBatch, long lastBatch, byte[] witness)
      throws IOException {
    return result(submit(firstBatch, lastBatch, witness));
  }

  /**
   * The future result of a job, also of one submitted by an earlier process (after a restart of the
   * caller).
   *
   * @param id the job
   * @return the proof's future (see {@link #prove})
   */
  public CompletableFuture<BatchProof> result(JobId id) {
    Waiting w = waiting.computeIfAbsent(id, k -> new Waiting());
    if (closed) {
      w.future.completeExceptionally(new WorkerFailureException("prover worker client is closed"));
    }
    return w.future;
  }

  /**
   * Looks for a job's result without waiting.
   *
   * @param id the job
   * @return the result, or empty while there is none
   * @throws IOException on an I/O failure
   */
  public Optional<JobResult> poll(JobId id) throws IOException {
    return store.result(id);
  }

  /**
   * Deletes a job and its result after the caller has stored the proof elsewhere.
   *
   * @param id the job
   * @throws IOException on an I/O failure
   */
  public void acknowledge(JobId id) throws IOException {
    waiting.remove(id);
    store.remove(id);
  }

  /**
   * Returns the job directory.
   *
   * @return the store shared with the worker
   */
  public JobStore store() {
    return store;
  }

  /**
   * Returns the running worker process.
   *
   * @return its handle, or empty between a crash and the restart
   */
  public Optional<ProcessHandle> worker() {
    Process p = worker;
    return p != null && p.isAlive() ? Optional.of(p.toHandle()) : Optional.empty();
  }

  /**
   * Returns how many times the worker was restarted.
   *
   * @return the count of worker exits the supervisor reacted to
   */
  public int restarts() {
    return restarts.get();
  }

  /**
   * Returns the worker's log file.
   *
   * @return {@code <jobDir>/worker.log}
   */
  public Path logFile() {
    return log;
  }

  /**
   * Stops the worker (SIGTERM, then SIGKILL after 10 s) and fails every waiting future. Jobs stay
   * on disk: a new client finishes them. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    supervisor.interrupt();
    Process p = worker;
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    poller.shutdownNow();
    try {
      supervisor.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Process last = worker; // started by the supervisor while this method ran
    if (last != p && last != null && last.isAlive()) {
      last.destroyForcibly();
    }
    for (Waiting w : waiting.values()) {
      w.future.completeExceptionally(new WorkerFailureException("prover worker client closed"));
    }
  }

  List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + options.maxHeap());
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(options.extraJvmArgs());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(options.mainClass());
    cmd.addAll(
        List.of(
            "--jobs",
            store.root().toString(),
            "--keys",
            options.keyDir().toAbsolutePath().toString(),
            "--shape",
            options.shape(),
            "--poll-ms",
            Long.toString(options.poll().toMillis()),
            "--max-attempts",
            Integer.toString(options.maxAttempts()),
            "--parent-pid",
            Long.toString(ProcessHandle.current().pid())));
    return cmd;
  }

  private Process launch() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command());
    pb.environment().put("GOMAXPROCS", Integer.toString(options.goMaxProcs()));
    pb.environment().put("GOMEMLIMIT", options.goMemLimit());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return pb.start();
  }

  private void supervise() {
    Duration backoff = FIRST_BACKOFF;
    while (!closed) {
      Process p = worker;
      Instant started = Instant.now();
      int exit;
      try {
        exit = p.waitFor();
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
        continue;
      }
      if (closed) {
        return;
      }
      restarts.incrementAndGet();
      if (exit >= ProverWorkerMain.EXIT_USAGE && exit <= ProverWorkerMain.EXIT_NO_PROVER) {
        fatal = "prover worker cannot run (exit code " + exit + "); see " + log;
        note("worker exited with code " + exit + "; not restarting");
        failAll(fatal);
        return;
      }
      if (Duration.between(started, Instant.now()).compareTo(HEALTHY_RUN) > 0) {
        backoff = FIRST_BACKOFF;
      }
      note("worker exited with code " + exit + "; restarting in " + backoff.toMillis() + " ms");
      try {
        Thread.sleep(backoff.toMillis());
        if (closed) {
          return;
        }
        Process next = launch();
        worker = next;
        if (closed) { // close() may have missed it
          next.destroyForcibly();
          return;
        }
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      } catch (IOException e) {
        note("cannot start the worker: " + e);
      }
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(options.maxRestartBackoff()) > 0) {
        backoff = options.maxRestartBackoff();
      }
    }
  }

  private void pollResults() {
    for (Map.Entry<JobId, Waiting> e : waiting.entrySet()) {
      JobId id = e.getKey();
      Waiting w = e.getValue();
      if (w.future.isDone()) {
        continue;
      }
      try {
        Optional<JobResult> r = store.result(id);
        if (r.isPresent()) {
          try {
            w.future.complete(r.get().proofOrThrow());
          } catch (RuntimeException failure) {
            w.future.completeExceptionally(failure);
          }
          waiting.remove(id, w); // a later result(id) reads the result file again
          continue;
        }
        Optional<String> rejected = store.rejection(id);
        if (rejected.isPresent()) {
          ProofJob job = w.job;
          if (job != null && !w.resubmitted) {
            w.resubmitted = true;
            note("job " + id + " was rejected (" + rejected.get() + "); writing it again");
            store.clearRejection(id);
            store.submit(job);
          } else {
            w.future.completeExceptionally(
                new CorruptJobException(store.jobFile(id), rejected.get()));
            waiting.remove(id, w);
          }
          continue;
        }
        if (fatal != null) {
          w.future.completeExceptionally(new WorkerFailureException(fatal));
          continue;
        }
        killIfTimedOut(id);
      } catch (IOException | RuntimeException ex) {
        note("polling " + id + " failed: " + ex);
      }
    }
  }

  /** Kills the worker if its current attempt at {@code id} has run past the job timeout. */
  private void killIfTimedOut(JobId id) throws IOException {
    Process p = worker;
    if (p == null || p == timedOut || !p.isAlive()) {
      return;
    }
    Instant attemptStart;
    try {
      attemptStart = Files.getLastModifiedTime(store.attemptsFile(id)).toInstant();
    } catch (java.nio.file.NoSuchFileException e) {
      return; // not started yet
    }
    Instant workerStart = p.info().startInstant().orElse(Instant.EPOCH);
    if (attemptStart.isBefore(workerStart)) {
      return; // an attempt of an earlier worker; this one has not started the job yet
    }
    if (Duration.between(attemptStart, Instant.now()).compareTo(options.jobTimeout()) > 0) {
      timedOut = p;
      note(
          "job "
              + id
              + " has run longer than "
              + options.jobTimeout()
              + "; killing the worker (pid "
              + p.pid()
              + ")");
      p.destroyForcibly();
    }
  }

  private void failAll(String message) {
    for (Waiting w : waiting.values()) {
      w.future.completeExceptionally(new WorkerFailureException(message));
    }
  }

  private void note(String line) {
    try {
      Files.writeString(
          log,
          Instant.now() + " supervisor " + line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the log is best effort
    }
  }
}
