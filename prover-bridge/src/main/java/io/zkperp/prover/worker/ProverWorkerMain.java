package io.zkperp.prover.worker;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.prover.BatchProver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The worker process: {@code java -cp <class path> io.zkperp.prover.worker.ProverWorkerMain --jobs
 * DIR --keys DIR --shape NAME [--poll-ms N] [--max-attempts N] [--parent-pid PID] [--worker-id N]
 * [--chain-id N --rollup 0xADDRESS]}. With {@code --chain-id} and {@code --rollup} (both or
 * neither) the worker proves a format v3 shape for that deployment ({@link BatchProver#open(Path,
 * String, MessageDomain, io.zkperp.prover.ProgressListener)}); without them a format v2 shape.
 * Normally started by {@link ProverWorkerClient}. Takes the lock of its slot, {@code
 * <jobs>/worker.lock} for worker 0 and {@code <jobs>/worker-N.lock} for worker N (one process per
 * slot; several slots serve one directory, each job claimed by one of them), opens a {@link
 * BatchProver} and runs a {@link ProverWorker} named {@code worker-N} until terminated; exits on
 * its own when the parent process is gone. Logs to standard error.
 *
 * <p>Exit codes: 0 stopped, 1 unexpected failure, {@value #EXIT_USAGE} usage, {@value
 * #EXIT_KEY_MISMATCH} key mismatch, {@value #EXIT_LOCKED} another worker holds the directory,
 * {@value #EXIT_NO_PROVER} the prover cannot be opened. The client does not restart a worker that
 * exited with 2 to 5.
 */
public final class ProverWorkerMain {

  /** Exit code: bad arguments. */
  public static final int EXIT_USAGE = 2;

  /** Exit code: the cached keys do not match the circuit. */
  public static final int EXIT_KEY_MISMATCH = 3;

  /** Exit code: another worker holds the job directory. */
  public static final int EXIT_LOCKED = 4;

  /** Exit code: the native library or the prover cannot be opened. */
  public static final int EXIT_NO_PROVER = 5;

  private ProverWorkerMain() {}

  /** Opens the engine of a worker process (a {@link BatchProver}, or a fake in tests). */
  @FunctionalInterface
  public interface EngineOpener {
    /**
     * Opens the engine; called once, on the main thread, before the loop starts.
     *
     * @param keyDir the key directory
     * @param shape the shape
     * @param log receives progress lines
     * @return the engine
     */
    ProverWorker.Engine open(Path keyDir, String shape, Consumer<String> log);
  }

  /** Opens the engine of a worker process for a shape and, for a format v3 shape, a deployment. */
  @FunctionalInterface
  public interface DomainEngineOpener {
    /**
     * Opens the engine; called once, on the main thread, before the loop starts.
     *
     * @param keyDir the key directory
     * @param shape the shape
     * @param domain the deployment of a format v3 shape ({@code --chain-id}, {@code --rollup}), or
     *     null when none was given (a format v2 shape)
     * @param log receives progress lines
     * @return the engine
     */
    ProverWorker.Engine open(Path keyDir, String shape, MessageDomain domain, Consumer<String> log);
  }

  /**
   * Entry point of the worker process.
   *
   * @param args see the class description
   */
  public static void main(String[] args) {
    int code = run(args, WorkerEngines::openBatchProver);
    System.exit(code);
  }

  /**
   * Runs a worker with the given engine until it is stopped or its parent dies.
   *
   * @param args see the class description
   * @param opener opens the engine
   * @return the exit code
   */
  public static int run(String[] args, EngineOpener opener) {
    return run(args, (keyDir, shape, domain, log) -> opener.open(keyDir, shape, log));
  }

  /**
   * Runs a worker with the given engine until it is stopped or its parent dies; the engine is
   * opened with the deployment named by {@code --chain-id} and {@code --rollup}, if any.
   *
   * @param args see the class description
   * @param opener opens the engine
   * @return the exit code
   */
  public static int run(String[] args, DomainEngineOpener opener) {
    PrintStream err = System.err;
    Consumer<String> log =
        line -> {
          synchronized (err) {
            err.println(Instant.now() + " worker[" + ProcessHandle.current().pid() + "] " + line);
            err.flush();
          }
        };
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        break;
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    if (args.length % 2 != 0
        || !opts.containsKey("jobs")
        || !opts.containsKey("keys")
        || !opts.containsKey("shape")) {
      err.println(
          "usage: ProverWorkerMain --jobs DIR --keys DIR --shape NAME [--poll-ms N]"
              + " [--max-attempts N] [--parent-pid PID] [--worker-id N]"
              + " [--chain-id N --rollup 0xADDRESS]");
      return EXIT_USAGE;
    }
    MessageDomain domain;
    try {
      domain = DeploymentOption.parse(opts.get("chain-id"), opts.get("rollup"));
    } catch (IllegalArgumentException e) {
      err.println("bad deployment: " + e.getMessage());
      return EXIT_USAGE;
    }
    int pollMs;
    int maxAttempts;
    int workerId;
    try {
      workerId = Integer.parseInt(opts.getOrDefault("worker-id", "0"));
      if (workerId < 0) {
        throw new NumberFormatException("--worker-id must be ≥ 0, got " + workerId);
      }
      pollMs = Integer.parseInt(opts.getOrDefault("poll-ms", "200"));
      maxAttempts =
          Integer.parseInt(
              opts.getOrDefault("max-attempts", "" + WorkerOptions.DEFAULT_MAX_ATTEMPTS));
      if (opts.containsKey("parent-pid")) {
        watchParent(Long.parseLong(opts.get("parent-pid")), log);
      }
    } catch (NumberFormatException e) {
      err.println("bad number: " + e.getMessage());
      return EXIT_USAGE;
    }
    try {
      JobStore store = new JobStore(Path.of(opts.get("jobs")));
      try (FileChannel lockFile =
              FileChannel.open(
                  store
                      .root()
                      .resolve(workerId == 0 ? "worker.lock" : "worker-" + workerId + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = tryLock(lockFile)) {
        if (lock == null) {
          log.accept(
              "another worker " + workerId + " holds its slot of " + store.root() + "; exiting");
          return EXIT_LOCKED;
        }
        log.accept(
            "starting worker-"
                + workerId
                + ": jobs "
                + store.root()
                + ", shape "
                + opts.get("shape")
                + (domain == null ? "" : ", domain " + domain)
                + ", heap max "
                + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB, GOMAXPROCS="
                + System.getenv("GOMAXPROCS")
                + ", GOMEMLIMIT="
                + System.getenv("GOMEMLIMIT"));
        WorkerEngines.Opened opened =
            WorkerEngines.open(opener, Path.of(opts.get("keys")), opts.get("shape"), domain, log);
        if (opened.engine() == null) {
          return opened.exitCode();
        }
        ProverWorker.Engine engine = opened.engine();
        ProverWorker worker =
            new ProverWorker(store, engine, maxAttempts, log, "worker-" + workerId);
        Thread loop = Thread.currentThread();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      worker.stop();
                      loop.interrupt();
                    },
                    "zkperp-worker-shutdown"));
        log.accept("ready");
        worker.run(Duration.ofMillis(pollMs));
        log.accept("stopped");
        return 0;
      }
    } catch (IOException | RuntimeException e) {
      log.accept("failed: " + e);
      return 1;
    }
  }

  /** The directory lock, or null if another worker (in any process) holds it. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by a worker in this JVM
    }
  }

  /** Exits the process when the parent is gone, so that a killed caller leaves no orphan. */
  private static void watchParent(long pid, Consumer<String> log) {
    Thread t =
        new Thread(
            () -> {
              while (true) {
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                  try {
                    Thread.sleep(1000);
                  } catch (InterruptedException e) {
                    return;
                  }
                } else {
                  log.accept("parent process " + pid + " is gone; exiting");
                  Runtime.getRuntime().halt(0);
                }
              }
            },
            "zkperp-worker-parent-watch");
    t.setDaemon(true);
    t.start();
  }
}
