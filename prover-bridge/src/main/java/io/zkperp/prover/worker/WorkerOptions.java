package io.zkperp.prover.worker;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.prover.BatchProver;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link ProverWorkerClient} runs the worker process. Immutable; build with {@link
 * #defaults(Path, String)} and the {@code with...} methods.
 *
 * @param jobDir the durable job directory ({@link JobStore})
 * @param keyDir the prover's key directory
 * @param shape the circuit shape the worker proves
 * @param maxHeap the worker JVM's {@code -Xmx} (the proving memory is native, not heap)
 * @param goMaxProcs {@code GOMAXPROCS} of the worker: threads the Go prover may run at once
 * @param goMemLimit {@code GOMEMLIMIT} of the worker, e.g. {@code 4GiB} (Go's soft memory limit)
 * @param poll how often the worker scans for jobs and the client for results
 * @param maxAttempts attempts per job before it fails as {@link JobResult.Kind#CRASHED}
 * @param maxRestartBackoff longest pause before restarting a worker that keeps dying
 * @param jobTimeout longest time one attempt may take; then the supervisor kills the worker (the
 *     attempt counts like a crash)
 * @param mainClass the worker's main class (a test may substitute its own)
 * @param extraJvmArgs further JVM options of the worker
 * @param workers how many worker processes serve the job directory at once (each takes its own jobs
 *     by claiming them; each needs the prover's memory: see prover-bridge/README.md)
 * @param domain the deployment (chain id, rollup address) a format v3 shape is proven for, or null
 *     for a format v2 shape (which has no domain); the worker then opens {@link
 *     BatchProver#open(Path, String, MessageDomain, io.zkperp.prover.ProgressListener)}
 */
public record WorkerOptions(
    Path jobDir,
    Path keyDir,
    String shape,
    String maxHeap,
    int goMaxProcs,
    String goMemLimit,
    Duration poll,
    int maxAttempts,
    Duration maxRestartBackoff,
    Duration jobTimeout,
    String mainClass,
    List<String> extraJvmArgs,
    int workers,
    MessageDomain domain) {

  /** Attempts per job by default. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** The most worker processes one client runs. */
  public static final int MAX_WORKERS = 64;

  /** Validates the options. */
  public WorkerOptions {
    Objects.requireNonNull(jobDir, "jobDir");
    Objects.requireNonNull(keyDir, "keyDir");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(maxHeap, "maxHeap");
    Objects.requireNonNull(goMemLimit, "goMemLimit");
    Objects.requireNonNull(poll, "poll");
    Objects.requireNonNull(maxRestartBackoff, "maxRestartBackoff");
    Objects.requireNonNull(jobTimeout, "jobTimeout");
    Objects.requireNonNull(mainClass, "mainClass");
    extraJvmArgs = List.copyOf(extraJvmArgs);
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException(
          "workers must be between 1 and " + MAX_WORKERS + ", got " + workers);
    }
    if (goMaxProcs < 1
        || maxAttempts < 1
        || poll.isNegative()
        || poll.isZero()
        || jobTimeout.isNegative()
        || jobTimeout.isZero()) {
      throw new IllegalArgumentException(
          "goMaxProcs, maxAttempts, poll and jobTimeout must be positive");
    }
  }

  /**
   * Defaults: one worker, keys in {@link BatchProver#defaultKeyDir()}, 256 MiB heap, every core, Go
   * memory limited to half the machine's RAM, 200 ms polling, {@value #DEFAULT_MAX_ATTEMPTS}
   * attempts, restarts backing off to 10 s, 30 minutes per attempt.
   *
   * @param jobDir the job directory
   * @param shape the circuit shape
   * @return the options
   */
  public static WorkerOptions defaults(Path jobDir, String shape) {
    return new WorkerOptions(
        jobDir,
        BatchProver.defaultKeyDir(),
        shape,
        "256m",
        Runtime.getRuntime().availableProcessors(),
        halfOfMemory(),
        Duration.ofMillis(200),
        DEFAULT_MAX_ATTEMPTS,
        Duration.ofSeconds(10),
        Duration.ofMinutes(30),
        ProverWorkerMain.class.getName(),
        List.of(),
        1,
        null);
  }

  /**
   * Returns a copy with another key directory.
   *
   * @param dir the key directory
   * @return the new options
   */
  public WorkerOptions withKeyDir(Path dir) {
    return new WorkerOptions(
        jobDir,
        dir,
        shape,
        maxHeap,
        goMaxProcs,
        goMemLimit,
        poll,
        maxAttempts,
        maxRestartBackoff,
        jobTimeout,
        mainClass,
        extraJvmArgs,
        workers,
        domain);
  }

  /**
   * Returns a copy with other resource bounds.
   *
   * @param heap the worker's {@code -Xmx}, e.g. {@code 256m}
   * @param maxProcs {@code GOMAXPROCS}
   * @param memLimit {@code GOMEMLIMIT}, e.g. {@code 4GiB}
   * @return the new options
   */
  public WorkerOptions withBounds(String heap, int maxProcs, String memLimit) {
    return new WorkerOptions(
        jobDir,
        keyDir,
        shape,
        heap,
        maxProcs,
        memLimit,
        poll,
        maxAttempts,
        maxRestartBackoff,
        jobTimeout,
        mainClass,
        extraJvmArgs,
        workers,
        domain);
  }

  /**
   * Returns a copy with other timing.
   *
   * @param pollInterval the polling interval
   * @param attempts attempts per job
   * @param restartBackoff longest pause between restarts
   * @return the new options
   */
  public WorkerOptions withTiming(Duration pollInterval, int attempts, Duration restartBackoff) {
    return new WorkerOptions(
        jobDir,
        keyDir,
        shape,
        maxHeap,
        goMaxProcs,
        goMemLimit,
        pollInterval,
        attempts,
        restartBackoff,
        jobTimeout,
        mainClass,
        extraJvmArgs,
        workers,
        domain);
  }

  /**
   * Returns a copy with another limit per attempt.
   *
   * @param timeout longest time one attempt may take
   * @return the new options
   */
  public WorkerOptions withJobTimeout(Duration timeout) {
    return new WorkerOptions(
        jobDir,
        keyDir,
        shape,
        maxHeap,
        goMaxProcs,
        goMemLimit,
        poll,
        maxAttempts,
        maxRestartBackoff,
        timeout,
        mainClass,
        extraJvmArgs,
        workers,
        domain);
  }

  /**
   * Returns a copy running another main class with extra JVM options (tests).
   *
   * @param main the fully qualified main class
   * @param jvmArgs extra JVM options
   * @return the new options
   */
  public WorkerOptions withMainClass(String main, List<String> jvmArgs) {
    return new WorkerOptions(
        jobDir,
        keyDir,
        shape,
        maxHeap,
        goMaxProcs,
        goMemLimit,
        poll,
        maxAttempts,
        maxRestartBackoff,
        jobTimeout,
        main,
        jvmArgs,
        workers,
        domain);
  }

  /**
   * Returns a copy with another number of worker processes.
   *
   * @param count worker processes on the job directory (1 to {@value #MAX_WORKERS})
   * @return the new options
   */
  public WorkerOptions withWorkers(int count) {
    return new WorkerOptions(
        jobDir,
        keyDir,
        shape,
        maxHeap,
        goMaxProcs,
        goMemLimit,
        poll,
        maxAttempts,
        maxRestartBackoff,
        jobTimeout,
        mainClass,
        extraJvmArgs,
        count,
        domain);
  }

  /**
   * Returns a copy whose workers prove a format v3 shape for one deployment: they open {@link
   * BatchProver#open(Path, String, MessageDomain, io.zkperp.prover.ProgressListener)} with the
   * cached keys of this domain (a domain without keys in {@link #keyDir()} would run the Groth16
   * setup).
   *
   * @param deployment the chain id and rollup address the circuit is built for
   * @return the new options
   */
  public WorkerOptions withDomain(MessageDomain deployment) {
    return new WorkerOptions(
        jobDir,
        keyDir,
        shape,
        maxHeap,
        goMaxProcs,
        goMemLimit,
        poll,
        maxAttempts,
        maxRestartBackoff,
        jobTimeout,
        mainClass,
        extraJvmArgs,
        workers,
        Objects.requireNonNull(deployment, "deployment"));
  }

  /**
   * Returns a copy with {@code count} worker processes that share this machine: each gets {@code
   * GOMAXPROCS} = cores / count (at least 1) and {@code GOMEMLIMIT} = half the RAM / count, so that
   * together they stay within the single worker's default bounds.
   *
   * @param count worker processes (1 to {@value #MAX_WORKERS})
   * @return the new options
   */
  public WorkerOptions withWorkersSharingMachine(int count) {
    if (count < 1 || count > MAX_WORKERS) {
      throw new IllegalArgumentException(
          "workers must be between 1 and " + MAX_WORKERS + ", got " + count);
    }
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors() / count);
    long halfMib = totalMemoryBytes() / 2 >> 20;
    String limit = halfMib > 0 ? Math.max(256, halfMib / count) + "MiB" : goMemLimit;
    return withBounds(maxHeap, cores, limit).withWorkers(count);
  }

  /**
   * The machine's RAM as the JVM sees it.
   *
   * @return bytes, 0 if unknown
   */
  public static long totalMemoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getTotalMemorySize());
    }
    return 0;
  }

  private static String halfOfMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      long half = os.getTotalMemorySize() / 2;
      if (half > 0) {
        return (half >> 20) + "MiB";
      }
    }
    return "4GiB";
  }
}
