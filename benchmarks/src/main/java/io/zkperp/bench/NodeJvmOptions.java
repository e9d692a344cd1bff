package io.zkperp.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The JVM of a benchmark's node child process: the picocli options {@code --node-heap} and {@code
 * --node-jvm} ({@code @Mixin}) and the start of the command line they give. Parsed once by picocli,
 * then read; the controlling thread.
 */
public final class NodeJvmOptions {
  @Option(names = "--node-heap", description = "node -Xmx (default ${DEFAULT-VALUE})")
  String heap = "2g";

  @Option(
      names = "--node-jvm",
      split = " ",
      description = "extra node JVM options, space-separated (default ${DEFAULT-VALUE})",
      defaultValue = "-XX:+UseParallelGC -Xmn64m -XX:MaxTenuringThreshold=0")
  List<String> jvm;

  /**
   * The node's command line up to its class path: this JDK's {@code java}, {@code -Xms} and {@code
   * -Xmx} at the heap, native access for the JNI libraries, then the extra options.
   *
   * @return a new modifiable list
   */
  public List<String> javaCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xms" + heap);
    cmd.add("-Xmx" + heap);
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(jvm);
    return cmd;
  }

  /**
   * For a report: {@code -Xmx<heap> <extra options>}.
   *
   * @return the line
   */
  public String summary() {
    return "-Xmx" + heap + " " + String.join(" ", jvm);
  }
}
