package io.zkperp.node.jobs.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link KafkaProverWorkerMain} run as its own JVM from the test class path, as a prover on
 * another machine would run, its output in one file. The test's thread.
 */
final class ProverProcess implements AutoCloseable {
  private final String id;
  private final Path log;
  private final Process process;

  private ProverProcess(String id, Path log, Process process) {
    this.id = id;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts a prover of the tiny shape and waits (up to 120 s) until it has opened its prover and
   * subscribed.
   *
   * @param dir where its log goes
   * @param id its prover id
   * @param bootstrap the brokers
   * @param group its consumer group
   * @param options the topics
   * @return the running prover
   * @throws IOException if it exits or does not get ready in time
   */
  static ProverProcess start(
      Path dir, String id, String bootstrap, String group, KafkaQueueOptions options)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(KafkaProverWorkerMain.class.getName());
    cmd.addAll(
        List.of(
            "--bootstrap",
            bootstrap,
            "--group",
            group,
            "--shape",
            "tiny",
            "--jobs-topic",
            options.jobsTopic(),
            "--results-topic",
            options.resultsTopic(),
            "--prover-id",
            id,
            "--session-timeout-ms",
            "3000"));
    Files.createDirectories(dir);
    Path log = dir.resolve(id + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    ProverProcess p = new ProverProcess(id, log, pb.start());
    p.await("ready:", Duration.ofSeconds(120));
    return p;
  }

  /**
   * Its prover id.
   *
   * @return the id
   */
  String id() {
    return id;
  }

  /**
   * Waits for a line containing {@code text}.
   *
   * @param text the text
   * @param timeout how long
   * @throws IOException if the process exits first or the time is up (with its output)
   */
  void await(String text, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        break;
      }
      sleep(100);
    }
    throw new IOException(
        "prover "
            + id
            + " did not log \""
            + text
            + "\" (alive "
            + process.isAlive()
            + "):\n"
            + output());
  }

  /**
   * Its output so far.
   *
   * @return the text
   */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGKILL: no shutdown hook, no group leave, nothing committed. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** SIGTERM (the prover leaves its group), SIGKILL after 15 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
