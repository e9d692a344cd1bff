package io.zkperp.bench;

import java.nio.file.Path;
import java.util.Map;

/** State-tree benchmarks (filled in once the state-tree API lands). */
final class TreeBenchmarks {
  private TreeBenchmarks() {}

  static void run(BenchmarkReport report, int accounts, Path dir, Map<String, Double> poseidon) {
    report.line("## State tree");
    report.line("");
  }
}
