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
 * <p>{@link #start} launches {@link WorkerOptions#workers()} worker processes ({@link
 * WorkerOptions#mainClass()}, {@code --worker-id 0..N-1}) with this JVM's {@code java} binary and
 * class path, each bounded by {@code -Xmx}, {@code GOMAXPROCS} and {@code GOMEMLIMIT}, their output
 * appended to {@code <jobDir>/worker.log}. They serve the same job directory, each job claimed by
 * one of them ({@link JobStore#tryClaim}). One supervisor thread per worker restarts it whenever it
 * exits (backing off while it keeps dying), except after a configuration exit code of {@link
 * ProverWorkerMain} (then that worker stays down; once every worker is down so, every waiting
 * future fails), and the polling thread kills the worker whose attempt runs longer than {@link
 * WorkerOptions#jobTimeout()}. A job whose worker died is claimed by the next worker to scan: its
 * own restarted process or another one. Because jobs are durable files, a restarted worker simply
 * proves the unfinished job again; nothing is resubmitted by hand, except a job whose file the
 * worker rejected as corrupt: the client writes it once more from the witness it still holds.
 *
 * <p>Thread-safe: any thread may submit and wait. Futures are completed on the client's polling
 * thread ({@code zkperp-prover-results}); chain long work with the {@code ...Async} methods. Only
 * one client (with its workers) may serve a job directory at a time.
 */
public final class ProverWorkerClient implements AutoCloseable {

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration HEALTHY_RUN = Duration.ofSeconds(30);

  private final WorkerOptions options;
  private final JobStore store;
  private final Path log;
  private final Map<JobId, Waiting> waiting = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller;
  private final List<Slot> slots = new ArrayList<>();
  private final java.util.Set<Process> timedOut = new java.util.HashSet<>(); // polling thread only
  private volatile boolean closed;
  private volatile String fatal;

  /** One worker process and its supervisor. */
  private final class Slot {
    final int id;
    final Thread supervisor;
    final AtomicInteger restarts = new AtomicInteger();
    volatile Process process;
    volatile boolean down; // exited with a configuration code: not restarted

    Slot(int id) {
      this.id = id;
      this.supervisor = new Thread(() -> supervise(this), "zkperp-prover-supervisor-" + id);
      this.supervisor.setDaemon(true);
    }
  }

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
    for (int i = 0; i < options.workers(); i++) {
      slots.add(new Slot(i));
    }
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
    try {
      for (Slot s : c.slots) {
        s.process = c.launch(s.id);
      }
    } catch (IOException e) {
      for (Slot s : c.slots) {
        if (s.process != null) {
          s.process.destroyForcibly();
        }
      }
      throw e;
    }
    for (Slot s : c.slots) {
      s.supervisor.start();
    }
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
   * Returns the running process of worker 0.
   *
   * @return its handle, or empty between a crash and the restart
   */
  public Optional<ProcessHandle> worker() {
    return worker(0);
  }

  /**
   * Returns the running process of one worker.
   *
   * @param id the worker, 0 to {@code workers() - 1}
   * @return its handle, or empty between a crash and the restart
   */
  public Optional<ProcessHandle> worker(int id) {
    Process p = slots.get(id).process;
    return p != null && p.isAlive() ? Optional.of(p.toHandle()) : Optional.empty();
  }

  /**
   * Returns how many worker processes this client runs.
   *
   * @return {@link WorkerOptions#workers()}
   */
  public int workers() {
    return slots.size();
  }

  /**
   * The worker whose claim a job holds (or last held), if it is one of this client's running
   * processes.
   *
   * @param id the job
   * @return the worker's id, or empty if none of them claimed it (yet), or the claimant died
   * @throws IOException if the claim file cannot be read
   */
  public Optional<Integer> provingWorker(JobId id) throws IOException {
    Optional<String> claimant = store.lastClaimant(id);
    if (claimant.isEmpty()) {
      return Optional.empty();
    }
    for (Slot s : slots) {
      Process p = s.process;
      if (p != null && p.isAlive() && claimant.get().endsWith(" pid " + p.pid())) {
        return Optional.of(s.id);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns how many times the workers were restarted, all together.
   *
   * @return the count of worker exits the supervisors reacted to
   */
  public int restarts() {
    int n = 0;
    for (Slot s : slots) {
      n += s.restarts.get();
    }
    return n;
  }

  /**
   * Returns how many times one worker was restarted.
   *
   * @param id the worker
   * @return the count of its exits its supervisor reacted to
   */
  public int restarts(int id) {
    return slots.get(id).restarts.get();
  }

  /**
   * One worker's counters as it stored them (jobs proven and failed, proving time).
   *
   * @param id the worker
   * @return the counters, zero if it stored none yet
   * @throws IOException if they cannot be read
   */
  public WorkerStats stats(int id) throws IOException {
    String name = "worker-" + id;
    return store.stats(name).orElse(WorkerStats.empty(name));
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
    List<Process> stopped = new ArrayList<>();
    for (Slot s : slots) {
      s.supervisor.interrupt();
      Process p = s.process;
      if (p != null) {
        p.destroy();
        stopped.add(p);
      }
    }
    for (Process p : stopped) {
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
    for (Slot s : slots) {
      try {
        s.supervisor.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Process last = s.process; // started by the supervisor while this method ran
      if (!stopped.contains(last) && last != null && last.isAlive()) {
        last.destroyForcibly();
      }
    }
    for (Waiting w : waiting.values()) {
      w.future.completeExceptionally(new WorkerFailureException("prover worker client closed"));
    }
  }

  List<String> command() {
    return command(0);
  }

  List<String> command(int workerId) {
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
            Long.toString(ProcessHandle.current().pid()),
            "--worker-id",
            Integer.toString(workerId)));
    if (options.domain() != null) {
      cmd.addAll(
          List.of(
              "--chain-id",
              Long.toUnsignedString(options.domain().chainId()),
              "--rollup",
              options.domain().rollupAddress().toHex()));
    }
    return cmd;
  }

  private Process launch(int workerId) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(workerId));
    pb.environment().put("GOMAXPROCS", Integer.toString(options.goMaxProcs()));
    pb.environment().put("GOMEMLIMIT", options.goMemLimit());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return pb.start();
  }

  private void supervise(Slot slot) {
    Duration backoff = FIRST_BACKOFF;
    while (!closed) {
      Process p = slot.process;
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
      slot.restarts.incrementAndGet();
      if (exit >= ProverWorkerMain.EXIT_USAGE && exit <= ProverWorkerMain.EXIT_NO_PROVER) {
        slot.down = true;
        note("worker " + slot.id + " exited with code " + exit + "; not restarting");
        if (slots.stream().allMatch(s -> s.down)) {
          fatal = "prover worker cannot run (exit code " + exit + "); see " + log;
          failAll(fatal);
        }
        return;
      }
      if (Duration.between(started, Instant.now()).compareTo(HEALTHY_RUN) > 0) {
        backoff = FIRST_BACKOFF;
      }
      note(
          "worker "
              + slot.id
              + " exited with code "
              + exit
              + "; restarting in "
              + backoff.toMillis()
              + " ms");
      try {
        Thread.sleep(backoff.toMillis());
        if (closed) {
          return;
        }
        Process next = launch(slot.id);
        slot.process = next;
        if (closed) { // close() may have missed it
          next.destroyForcibly();
          return;
        }
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      } catch (IOException e) {
        note("cannot start worker " + slot.id + ": " + e);
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

  /** Kills the worker whose current attempt at {@code id} has run past the job timeout. */
  private void killIfTimedOut(JobId id) throws IOException {
    Optional<Integer> proving = provingWorker(id);
    if (proving.isEmpty()) {
      return; // not claimed by a running worker of ours
    }
    Process p = slots.get(proving.get()).process;
    if (p == null || timedOut.contains(p) || !p.isAlive()) {
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
      timedOut.removeIf(dead -> !dead.isAlive());
      timedOut.add(p);
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
