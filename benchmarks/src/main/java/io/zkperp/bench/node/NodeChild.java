package io.zkperp.bench.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's node ({@link BenchNodeMain}) as a child JVM on this harness's class path, its
 * output in a log file; it waits for lines of that output, and stops the node with SIGTERM (a
 * graceful close), then SIGKILLs its remaining descendants (prover workers). The controlling
 * thread.
 */
final class NodeChild implements AutoCloseable {
  private final Path log;
  private final Process process;

  private NodeChild(Path log, Process process) {
    this.log = log;
    this.process = process;
  }

  /**
   * Starts the node.
   *
   * @param javaCommand the command line up to the class path ({@link
   *     io.zkperp.bench.NodeJvmOptions#javaCommand})
   * @param args {@link BenchNodeMain}'s arguments
   * @param log where its output goes
   * @return the running child
   * @throws IOException it cannot be started
   */
  static NodeChild start(List<String> javaCommand, List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(javaCommand);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchNodeMain.class.getName());
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new NodeChild(log, p);
  }

  /**
   * Waits for a line starting with {@code prefix} in the output.
   *
   * @param prefix the line's start
   * @param seconds how long to wait
   * @return the rest of the line after the prefix
   * @throws IOException the node exited or the line did not come in time (the output's tail in the
   *     message)
   * @throws InterruptedException if interrupted
   */
  String await(String prefix, int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(200);
    }
    throw new IOException(
        "the node did not print \"" + prefix + "\" (" + log + "); its output ends:\n" + tail());
  }

  /** Whether the node printed a line starting with {@code prefix}; the line, or null. */
  String line(String prefix) throws IOException {
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    return null;
  }

  /** The node's process id. */
  long pid() {
    return process.pid();
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** SIGTERM, up to 60 s for the node to close, then SIGKILL of whatever is left. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.toHandle().descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
