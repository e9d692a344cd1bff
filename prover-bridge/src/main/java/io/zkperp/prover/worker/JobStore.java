package io.zkperp.prover.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The durable job directory shared by the caller and the worker process.
 *
 * <pre>
 * &lt;root&gt;/jobs/&lt;id&gt;.job           written by the caller: the witness to prove
 * &lt;root&gt;/attempts/&lt;id&gt;.attempts  written by the worker before each attempt: the count
 * &lt;root&gt;/results/&lt;id&gt;.result     written by the worker: proof or permanent failure
 * &lt;root&gt;/rejected/&lt;file&gt;           corrupt job or result files, moved here by the worker
 * &lt;root&gt;/rejected/&lt;file&gt;.reason    why (UTF-8 text)
 * &lt;root&gt;/claims/&lt;id&gt;.claim      locked (OS file lock) by the worker proving the job; names it
 * &lt;root&gt;/workers/&lt;name&gt;.stats   each worker's counters (jobs proven, failed, proving time)
 * &lt;root&gt;/worker.lock              held by worker 0 (worker-N.lock by worker N: one per slot)
 * &lt;root&gt;/worker.log               the workers' output (appended by the client)
 * </pre>
 *
 * <p>Every file is written with {@link AtomicFiles} (temporary file, fsync, rename, directory
 * fsync). {@code <id>} is {@link JobId#name()}. Thread-safe, and safe to use from the caller and
 * several worker processes at the same time: a worker proves a job only while it holds the job's
 * claim ({@link #tryClaim}), so the attempt count and the result have one writer at a time, and
 * readers only ever see whole files.
 *
 * <p><b>Claims.</b> A claim is an exclusive OS lock ({@code fcntl}) on {@code claims/<id>.claim},
 * so its lease is the holder's life: the kernel releases it the moment the holder dies (SIGKILL,
 * OOM kill), and another worker takes the job at its next scan with no clock to tune. Claim files
 * are deleted only by {@link #remove} (after the job has a result), never on release, so two
 * workers can never lock two different files of the same job. This holds on one machine's file
 * system; provers on other machines need a queue with leases of its own (node's {@code ProofJobs}).
 */
public final class JobStore {

  static final String JOB_SUFFIX = ".job";
  static final String RESULT_SUFFIX = ".result";
  static final String ATTEMPTS_SUFFIX = ".attempts";
  static final String REASON_SUFFIX = ".reason";
  static final String CLAIM_SUFFIX = ".claim";
  static final String STATS_SUFFIX = ".stats";

  private final Path root;
  private final Path jobs;
  private final Path results;
  private final Path attempts;
  private final Path rejected;
  private final Path claims;
  private final Path workers;

  /**
   * Opens (and creates if needed) a job directory.
   *
   * @param root the directory
   * @throws IOException if the directories cannot be created
   */
  public JobStore(Path root) throws IOException {
    this.root = root.toAbsolutePath();
    this.jobs = Files.createDirectories(this.root.resolve("jobs"));
    this.results = Files.createDirectories(this.root.resolve("results"));
    this.attempts = Files.createDirectories(this.root.resolve("attempts"));
    this.rejected = Files.createDirectories(this.root.resolve("rejected"));
    this.claims = Files.createDirectories(this.root.resolve("claims"));
    this.workers = Files.createDirectories(this.root.resolve("workers"));
  }

  /**
   * Returns the root directory.
   *
   * @return the absolute root
   */
  public Path root() {
    return root;
  }

  /**
   * Path of a job's file.
   *
   * @param id the job
   * @return {@code jobs/<id>.job}
   */
  public Path jobFile(JobId id) {
    return jobs.resolve(id.name() + JOB_SUFFIX);
  }

  /**
   * Path of a job's result file.
   *
   * @param id the job
   * @return {@code results/<id>.result}
   */
  public Path resultFile(JobId id) {
    return results.resolve(id.name() + RESULT_SUFFIX);
  }

  /**
   * Writes a job unless the same job is already there (idempotent: same batch range and witness
   * give the same id and the same bytes). A job file of that id that is corrupt is replaced.
   *
   * @param job the job
   * @return true if a file was written, false if a valid one already existed or the job already has
   *     a result
   * @throws IOException on an I/O failure
   */
  public boolean submit(ProofJob job) throws IOException {
    if (Files.exists(resultFile(job.id()))) {
      return false;
    }
    Path file = jobFile(job.id());
    if (Files.exists(file)) {
      try {
        readJob(file);
        return false;
      } catch (CorruptJobException | NoSuchFileException e) {
        // replaced below
      }
    }
    clearRejection(job.id()); // a rejection of an earlier copy no longer applies
    AtomicFiles.write(file, JobCodec.encodeJob(job));
    return true;
  }

  /**
   * The jobs that have no result yet, in batch order. Files whose names are not job names are left
   * alone (they are not listed).
   *
   * @return the ids
   * @throws IOException if the directory cannot be listed
   */
  public List<JobId> pending() throws IOException {
    List<JobId> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(jobs)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String n = p.getFileName().toString();
        if (n.endsWith(JOB_SUFFIX)) {
          JobId.parse(n.substring(0, n.length() - JOB_SUFFIX.length()))
              .filter(id -> !Files.exists(resultFile(id)))
              .ifPresent(ids::add);
        }
      }
    }
    ids.sort(null);
    return ids;
  }

  /**
   * Job files whose names are not valid job names (to be rejected).
   *
   * @return their paths
   * @throws IOException if the directory cannot be listed
   */
  List<Path> strayJobFiles() throws IOException {
    List<Path> stray = new ArrayList<>();
    try (Stream<Path> files = Files.list(jobs)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") && n.endsWith(AtomicFiles.TMP_SUFFIX)) {
          continue; // a writer's temporary file
        }
        if (!n.endsWith(JOB_SUFFIX)
            || JobId.parse(n.substring(0, n.length() - JOB_SUFFIX.length())).isEmpty()) {
          stray.add(p);
        }
      }
    }
    return stray;
  }

  /**
   * Reads and validates a job.
   *
   * @param id the job
   * @return the job
   * @throws CorruptJobException if the file is truncated or corrupt
   * @throws NoSuchFileException if there is no such job
   * @throws IOException on another I/O failure
   */
  public ProofJob readJob(JobId id) throws IOException {
    return readJob(jobFile(id));
  }

  private ProofJob readJob(Path file) throws IOException {
    return JobCodec.decodeJob(file, Files.readAllBytes(file));
  }

  /**
   * Reads a job's result, if it has a valid one. A corrupt result file reads as absent (the worker
   * moves it aside and proves the job again).
   *
   * @param id the job
   * @return the result, or empty
   * @throws IOException on an I/O failure other than a missing file
   */
  public Optional<JobResult> result(JobId id) throws IOException {
    try {
      return Optional.of(readResult(id));
    } catch (NoSuchFileException | CorruptJobException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads a job's result strictly.
   *
   * @param id the job
   * @return the result
   * @throws NoSuchFileException if there is none
   * @throws CorruptJobException if the result file is corrupt
   * @throws IOException on another I/O failure
   */
  JobResult readResult(JobId id) throws IOException {
    Path file = resultFile(id);
    return JobCodec.decodeResult(file, Files.readAllBytes(file));
  }

  /**
   * Writes a job's result atomically.
   *
   * @param result the result
   * @throws IOException on an I/O failure
   */
  public void writeResult(JobResult result) throws IOException {
    AtomicFiles.write(resultFile(result.id()), JobCodec.encodeResult(result));
  }

  /**
   * Moves a corrupt file to {@code rejected/} and writes the reason beside it.
   *
   * @param file the job or result file
   * @param reason why it is rejected
   * @return the new path of the file
   * @throws IOException on an I/O failure
   */
  public Path reject(Path file, String reason) throws IOException {
    Path target = rejected.resolve(file.getFileName().toString());
    AtomicFiles.write(
        rejected.resolve(file.getFileName() + REASON_SUFFIX),
        (reason + "\n").getBytes(StandardCharsets.UTF_8));
    AtomicFiles.move(file, target);
    return target;
  }

  /**
   * Why a job's file was rejected, if it was.
   *
   * @param id the job
   * @return the reason text, or empty if the job file was not rejected
   * @throws IOException on an I/O failure other than a missing file
   */
  public Optional<String> rejection(JobId id) throws IOException {
    Path reason = rejected.resolve(id.name() + JOB_SUFFIX + REASON_SUFFIX);
    try {
      return Optional.of(Files.readString(reason, StandardCharsets.UTF_8).strip());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Forgets a rejection so that the job can be submitted again.
   *
   * @param id the job
   * @throws IOException on an I/O failure
   */
  public void clearRejection(JobId id) throws IOException {
    Files.deleteIfExists(rejected.resolve(id.name() + JOB_SUFFIX + REASON_SUFFIX));
    Files.deleteIfExists(rejected.resolve(id.name() + JOB_SUFFIX));
  }

  /**
   * Path of a job's attempt counter; its modification time is the start of the latest attempt.
   *
   * @param id the job
   * @return {@code attempts/<id>.attempts}
   */
  Path attemptsFile(JobId id) {
    return attempts.resolve(id.name() + ATTEMPTS_SUFFIX);
  }

  /**
   * How many times the worker has started proving a job.
   *
   * @param id the job
   * @return the count, 0 if never
   * @throws IOException on an I/O failure other than a missing file
   */
  public int attempts(JobId id) throws IOException {
    try {
      String s =
          Files.readString(attempts.resolve(id.name() + ATTEMPTS_SUFFIX), StandardCharsets.UTF_8);
      return Integer.parseInt(s.strip());
    } catch (NoSuchFileException e) {
      return 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Durably counts one more attempt at a job, before it starts.
   *
   * @param id the job
   * @return the new count, 1 on the first attempt
   * @throws IOException on an I/O failure
   */
  public int recordAttempt(JobId id) throws IOException {
    int n = attempts(id) + 1;
    AtomicFiles.write(
        attempts.resolve(id.name() + ATTEMPTS_SUFFIX),
        Integer.toString(n).getBytes(StandardCharsets.UTF_8));
    return n;
  }

  /**
   * Deletes a job with its result and attempt count (after the caller has consumed the result).
   *
   * @param id the job
   * @throws IOException on an I/O failure
   */
  public void remove(JobId id) throws IOException {
    Files.deleteIfExists(jobFile(id));
    Files.deleteIfExists(resultFile(id));
    Files.deleteIfExists(attempts.resolve(id.name() + ATTEMPTS_SUFFIX));
    Files.deleteIfExists(claimFile(id));
    AtomicFiles.fsyncDirectory(jobs);
  }

  /**
   * Path of a job's claim file.
   *
   * @param id the job
   * @return {@code claims/<id>.claim}
   */
  Path claimFile(JobId id) {
    return claims.resolve(id.name() + CLAIM_SUFFIX);
  }

  /**
   * Claims a job for one worker: takes the exclusive lock of its claim file without waiting and
   * writes the claimant's name into it. The caller must check afterwards that the job still has no
   * result (another worker may have finished it between the listing and the claim).
   *
   * @param id the job
   * @param claimant who claims it, e.g. {@code worker-1 pid 4242}
   * @return the claim (close it to release), or empty if another worker (any process) holds it
   * @throws IOException on an I/O failure
   */
  public Optional<Claim> tryClaim(JobId id, String claimant) throws IOException {
    FileChannel channel =
        FileChannel.open(claimFile(id), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another worker in this JVM
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((claimant + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return Optional.of(new Claim(id, channel));
  }

  /**
   * Who claimed a job last, as written into its claim file (the claimant may have died since: the
   * lock is gone then, the name stays until the job is removed).
   *
   * @param id the job
   * @return the claimant's name, or empty if the job was never claimed
   * @throws IOException on an I/O failure other than a missing file
   */
  public Optional<String> lastClaimant(JobId id) throws IOException {
    try {
      String s = Files.readString(claimFile(id), StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** A worker's exclusive claim on a job; closing it releases the lock (the file stays). */
  public static final class Claim implements AutoCloseable {
    private final JobId id;
    private final FileChannel channel;

    private Claim(JobId id, FileChannel channel) {
      this.id = id;
      this.channel = channel;
    }

    /**
     * The claimed job.
     *
     * @return its id
     */
    public JobId id() {
      return id;
    }

    /**
     * Releases the claim.
     *
     * @throws IOException if closing the file fails
     */
    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /**
   * Stores a worker's counters (atomically).
   *
   * @param stats the counters
   * @throws IOException on an I/O failure
   */
  public void writeStats(WorkerStats stats) throws IOException {
    AtomicFiles.write(
        workers.resolve(stats.worker() + STATS_SUFFIX),
        stats.encode().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A worker's counters as it stored them last.
   *
   * @param worker the worker's name, e.g. {@code worker-1}
   * @return the counters, or empty if it stored none (or the file does not parse)
   * @throws IOException on an I/O failure other than a missing file
   */
  public Optional<WorkerStats> stats(String worker) throws IOException {
    try {
      return WorkerStats.decode(
          worker, Files.readString(workers.resolve(worker + STATS_SUFFIX), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Deletes temporary files older than an hour that crashed writers left behind.
   *
   * @throws IOException if a directory cannot be listed
   */
  void cleanTemporaries() throws IOException {
    for (Path dir : List.of(jobs, results, attempts, rejected, workers)) {
      AtomicFiles.deleteStaleTemporaries(dir, java.time.Duration.ofHours(1));
    }
  }

  Path jobsDir() {
    return jobs;
  }

  Path resultsDir() {
    return results;
  }
}
