package io.zkperp.node.jobs.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker for tests: one KRaft node (broker and controller) run as a child JVM
 * from the test class path ({@code kafka_2.13} in test scope), its storage formatted with the
 * storage tool's class, on free loopback ports, its output in {@code broker.log}. It can be
 * SIGKILLed and started again on the same directory and ports. The test's thread.
 */
final class KafkaBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Path log;
  private Process process;

  private KafkaBroker(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    this.log = dir.resolve("broker.log");
  }

  /**
   * Formats a fresh broker in {@code dir} and starts it.
   *
   * @param dir an empty directory
   * @return the running broker
   * @throws IOException if it cannot be formatted or does not answer within 90 s
   */
  static KafkaBroker start(Path dir) throws IOException {
    Files.createDirectories(dir);
    int port;
    int controller;
    try (ServerSocket a = new ServerSocket(0);
        ServerSocket b = new ServerSocket(0)) {
      port = a.getLocalPort();
      controller = b.getLocalPort();
    }
    String config =
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controller,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "group.initial.rebalance.delay.ms=0",
            "group.min.session.timeout.ms=1000",
            "auto.create.topics.enable=false",
            "");
    Files.writeString(dir.resolve("server.properties"), config, StandardCharsets.UTF_8);
    KafkaBroker broker = new KafkaBroker(dir, port);
    Process format =
        broker.java(
            List.of(
                "kafka.tools.StorageTool",
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                dir.resolve("server.properties").toString()));
    try {
      if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
        format.destroyForcibly();
        throw new IOException("formatting the broker's storage failed:\n" + broker.logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    broker.startProcess();
    return broker;
  }

  /**
   * The bootstrap address.
   *
   * @return {@code 127.0.0.1:port}
   */
  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /**
   * SIGKILLs the broker process (nothing flushed by the broker itself) and starts it again on the
   * same storage and ports.
   *
   * @throws IOException if it does not answer again within 90 s
   */
  void killAndRestart() throws IOException {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    startProcess();
  }

  private void startProcess() throws IOException {
    process = java(List.of("-Xmx512m", "kafka.Kafka", dir.resolve("server.properties").toString()));
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    try (Admin admin = Admin.create(p)) {
      while (System.nanoTime() < deadline && process.isAlive()) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          Thread.sleep(500);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    process.destroyForcibly();
    throw new IOException("the Kafka broker did not start; its log:\n" + logTail());
  }

  private Process java(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!args.contains("kafka.tools.StorageTool")) {
      cmd.add("-Xms64m");
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.addAll(args);
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /**
   * The last lines of the broker's output.
   *
   * @return up to 4,000 characters
   */
  String logTail() {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.substring(Math.max(0, s.length() - 4_000));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the broker (SIGTERM, then SIGKILL after 20 s). */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
