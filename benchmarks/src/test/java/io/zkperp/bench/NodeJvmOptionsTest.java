package io.zkperp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class NodeJvmOptionsTest {
  @Command(name = "test")
  static final class Harness {
    @Mixin NodeJvmOptions node = new NodeJvmOptions();
  }

  @Test
  void theDefaultsGiveA2GiBHeapAndTheParallelCollector() {
    Harness h = new Harness();
    new CommandLine(h).parseArgs();
    List<String> cmd = h.node.javaCommand();
    assertThat(cmd.get(0)).endsWith("/bin/java");
    assertThat(cmd.subList(1, cmd.size()))
        .containsExactly(
            "-Xms2g",
            "-Xmx2g",
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseParallelGC",
            "-Xmn64m",
            "-XX:MaxTenuringThreshold=0");
    assertThat(h.node.summary())
        .isEqualTo("-Xmx2g -XX:+UseParallelGC -Xmn64m -XX:MaxTenuringThreshold=0");
  }

  @Test
  void theOptionsSetTheHeapAndReplaceTheExtraOptions() {
    Harness h = new Harness();
    new CommandLine(h).parseArgs("--node-heap", "3g", "--node-jvm", "-XX:+UseZGC -Xss1m");
    List<String> cmd = h.node.javaCommand();
    assertThat(cmd.subList(1, cmd.size()))
        .containsExactly(
            "-Xms3g", "-Xmx3g", "--enable-native-access=ALL-UNNAMED", "-XX:+UseZGC", "-Xss1m");
  }
}
