package io.zkperp.node.jobs.kafka;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.worker.DeploymentOption;
import io.zkperp.prover.worker.ProverWorker;
import io.zkperp.prover.worker.ProverWorkerMain;
import io.zkperp.prover.worker.WorkerEngines;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A prover process for the Kafka proof queue, to run on any machine that reaches the brokers:
 * {@code java -cp <node class path> io.zkperp.node.jobs.kafka.KafkaProverWorkerMain --bootstrap
 * HOST:PORT --shape NAME [--group G] [--keys DIR] [--chain-id N --rollup 0x…] [--jobs-topic T
 * --results-topic T] [--prover-id ID] [--session-timeout-ms N]} (also {@code ./zk kafka-prover …}).
 * Opens the JNI prover for the shape (and, for a format v3 shape, the deployment) and runs a {@link
 * KafkaProverWorker} in the consumer group until SIGTERM. Logs to standard error.
 *
 * <p>Exit codes: 0 stopped, 1 unexpected failure, 2 bad option, 3 the cached keys do not match the
 * circuit, 5 the prover cannot be opened, 6 a job named another shape or deployment (left to the
 * group). Main thread.
 */
@Command(
    name = "zk kafka-prover",
    mixinStandardHelpOptions = true,
    version = "zkperp Kafka prover",
    sortOptions = false,
    description =
        "Proves the node's batches taken from a Kafka consumer group; writes each outcome to the"
            + " results topic, then commits the job.")
public final class KafkaProverWorkerMain {
  /** Exit code: bad option. */
  public static final int EXIT_USAGE = 2;

  /** Exit code: the cached keys do not match the circuit. */
  public static final int EXIT_KEY_MISMATCH = ProverWorkerMain.EXIT_KEY_MISMATCH;

  /** Exit code: the native library or the prover cannot be opened. */
  public static final int EXIT_NO_PROVER = ProverWorkerMain.EXIT_NO_PROVER;

  /** Exit code: a job named another shape or deployment. */
  public static final int EXIT_OTHER_DEPLOYMENT = 6;

  @Option(
      names = "--bootstrap",
      required = true,
      paramLabel = "HOST:PORT",
      description = "the Kafka brokers, host:port[,host:port…]")
  String bootstrap;

  @Option(
      names = "--group",
      paramLabel = "NAME",
      description = "the consumer group of the provers (default ${DEFAULT-VALUE})")
  String group = "zkperp-provers";

  @Option(
      names = "--shape",
      required = true,
      paramLabel = "NAME",
      description = "the circuit shape the node's jobs name (tiny, v3-tiny, …)")
  String shape;

  @Option(
      names = "--keys",
      paramLabel = "DIR",
      description = "the key directory (default $ZKPERP_KEYS or ~/.cache/zkperp/keys)")
  Path keys;

  @Option(
      names = "--chain-id",
      paramLabel = "N",
      description = "format v3 shapes: the L1 chain id (with --rollup)")
  String chainId;

  @Option(
      names = "--rollup",
      paramLabel = "0xADDRESS",
      description = "format v3 shapes: the rollup contract (with --chain-id)")
  String rollup;

  @Option(
      names = "--jobs-topic",
      paramLabel = "TOPIC",
      description = "the jobs topic (default ${DEFAULT-VALUE})")
  String jobsTopic = KafkaQueueOptions.DEFAULT_JOBS_TOPIC;

  @Option(
      names = "--results-topic",
      paramLabel = "TOPIC",
      description = "the results topic (default ${DEFAULT-VALUE})")
  String resultsTopic = KafkaQueueOptions.DEFAULT_RESULTS_TOPIC;

  @Option(
      names = "--prover-id",
      paramLabel = "ID",
      description = "this prover's name in results (default host-pid)")
  String proverId;

  @Option(
      names = "--session-timeout-ms",
      paramLabel = "MS",
      description =
          "how long the group waits for a silent prover before handing its jobs to another"
              + " (default ${DEFAULT-VALUE})")
  long sessionTimeoutMs = 10_000;

  private KafkaProverWorkerMain() {}

  /**
   * Entry point.
   *
   * @param args see the class description
   */
  public static void main(String[] args) {
    System.exit(run(args, WorkerEngines::openBatchProver));
  }

  /** Opens the engine of a prover (tests may pass another). */
  @FunctionalInterface
  public interface EngineOpener {
    /**
     * Opens the engine, on the main thread, before the prover joins its group.
     *
     * @param keyDir the key directory
     * @param shape the shape
     * @param domain the deployment, or null for a format v2 shape
     * @param log receives progress lines
     * @return the engine
     */
    ProverWorker.Engine open(Path keyDir, String shape, MessageDomain domain, Consumer<String> log);
  }

  /**
   * Parses the options, opens the engine and proves until stopped.
   *
   * @param args see the class description
   * @param opener opens the engine
   * @return the exit code
   */
  public static int run(String[] args, EngineOpener opener) {
    PrintStream err = System.err;
    Consumer<String> log =
        line -> {
          synchronized (err) {
            err.println(
                Instant.now() + " kafka-prover[" + ProcessHandle.current().pid() + "] " + line);
            err.flush();
          }
        };
    KafkaProverWorkerMain m = new KafkaProverWorkerMain();
    CommandLine cl = new CommandLine(m);
    KafkaProverWorker.Options options;
    MessageDomain domain;
    try {
      cl.parseArgs(args);
      if (cl.isUsageHelpRequested() || cl.isVersionHelpRequested()) {
        cl.usage(System.out);
        return 0;
      }
      domain = DeploymentOption.parse(m.chainId, m.rollup);
      options =
          new KafkaProverWorker.Options(
              m.bootstrap,
              m.group,
              m.jobsTopic,
              m.resultsTopic,
              m.proverId != null ? m.proverId : hostName() + "-" + ProcessHandle.current().pid(),
              Duration.ofMillis(m.sessionTimeoutMs));
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      err.println("zk kafka-prover: " + e.getMessage() + " (see --help)");
      return EXIT_USAGE;
    }
    WorkerEngines.Opened opened =
        WorkerEngines.open(
            opener::open,
            m.keys == null ? BatchProver.defaultKeyDir() : m.keys,
            m.shape,
            domain,
            log);
    if (opened.engine() == null) {
      return opened.exitCode();
    }
    ProverWorker.Engine engine = opened.engine();
    try (KafkaProverWorker worker = new KafkaProverWorker(options, engine, domain, log)) {
      Thread loop = Thread.currentThread();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    worker.stop();
                    try {
                      loop.join(10_000);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "zkperp-kafka-prover-shutdown"));
      worker.run();
      log.accept("stopped");
      return 0;
    } catch (JobForAnotherProverException e) {
      log.accept(e.getMessage() + "; exiting");
      return EXIT_OTHER_DEPLOYMENT;
    } catch (RuntimeException e) {
      log.accept("failed: " + e);
      return 1;
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "prover";
    }
  }
}
