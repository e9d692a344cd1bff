package io.zkperp.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node run as its own JVM process for the crash drills ({@link RollupNodeKillIT}, {@code
 * v3.RollupNodeV3KillIT}): started with the test's class path, its output appended to one file, its
 * port read from the {@code node listening on port N} line it prints once serving; SIGKILLed with
 * its descendants (its prover workers), as a container kill would, or stopped with SIGTERM (a
 * graceful close). The test's thread.
 */
public final class NodeProcess implements AutoCloseable {
  private final Path out;
  private Process process;

  /**
   * @param out the file every start's output is appended to
   */
  public NodeProcess(Path out) {
    this.out = out;
  }

  /**
   * Starts {@code mainClass} with {@code args} and waits (up to 120 s) for its listening line.
   *
   * @param mainClass a main class on the test's class path that prints {@code node listening on
   *     port N}
   * @param args its arguments
   * @return the port it listens on
   * @throws IOException the process exited or did not print the line in time (its output's tail in
   *     the message)
   */
  public int start(String mainClass, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    Files.createDirectories(out.getParent());
    long from = Files.exists(out) ? Files.size(out) : 0;
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && process.isAlive()) {
      String fresh = output(from);
      int at = fresh.indexOf("node listening on port ");
      if (at >= 0 && fresh.indexOf('\n', at) > 0) {
        return Integer.parseInt(fresh.substring(at + 23, fresh.indexOf('\n', at)).trim());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw new IOException("the node did not start; output:\n" + tail(out));
  }

  /**
   * The output appended since byte {@code from} of the output file.
   *
   * @param from a byte offset
   * @return the text after it
   * @throws IOException the file cannot be read
   */
  public String output(long from) throws IOException {
    byte[] all = Files.readAllBytes(out);
    return new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
  }

  /**
   * The output file's size now (where the next output starts).
   *
   * @return its size in bytes, 0 if it does not exist yet
   * @throws IOException the file cannot be read
   */
  public long outputSize() throws IOException {
    return Files.exists(out) ? Files.size(out) : 0;
  }

  /**
   * SIGKILLs the node and its descendants and waits until all are gone.
   *
   * @throws Exception a process did not exit within 30 s
   */
  public void kill() throws Exception {
    List<ProcessHandle> children = process.toHandle().descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    process.onExit().get(30, TimeUnit.SECONDS);
    for (ProcessHandle c : children) {
      c.onExit().get(30, TimeUnit.SECONDS);
    }
    process = null;
  }

  /**
   * SIGTERMs the node (its shutdown hook closes it), waits up to 60 s for it, then SIGKILLs its
   * descendants.
   *
   * @throws Exception the node did not exit in time
   */
  public void stop() throws Exception {
    List<ProcessHandle> children = process.toHandle().descendants().toList();
    process.destroy();
    process.onExit().get(60, TimeUnit.SECONDS);
    for (ProcessHandle c : children) {
      c.destroyForcibly();
      c.onExit().get(30, TimeUnit.SECONDS);
    }
    process = null;
  }

  /** SIGKILLs whatever is still running (the test's {@code finally}). */
  @Override
  public void close() {
    if (process != null) {
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process = null;
    }
  }

  /**
   * The last 80 lines of a file, for failure messages.
   *
   * @param file a log
   * @return its tail, or a note that it does not exist
   * @throws IOException it cannot be read
   */
  public static String tail(Path file) throws IOException {
    if (!Files.exists(file)) {
      return "(no " + file + ")";
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
  }
}
