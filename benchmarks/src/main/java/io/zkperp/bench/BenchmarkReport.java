package io.zkperp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs zkperp's benchmarks and prints the tables of {@code docs/benchmarks.md}: medians over
 * repeated runs, and ratios of numbers measured in the same session (Java against gnark-crypto's
 * native Go on this machine).
 *
 * <p>Run with {@code ./zk bench [suite…]}; suites: {@code poseidon2}, {@code eddsa}, {@code tree}.
 */
@Command(
    name = "zk bench",
    mixinStandardHelpOptions = true,
    description = "Runs the zkperp benchmarks and prints a markdown report.")
public final class BenchmarkReport implements Callable<Integer> {
  @CommandLine.Parameters(
      arity = "0..*",
      description = "suites to run: poseidon2, eddsa, tree (default: all)")
  private List<String> suites = new ArrayList<>();

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "alternating Go/Java rounds for the Poseidon2 comparison (default 3)")
  private int rounds;

  @Option(
      names = "--root",
      defaultValue = "${sys:zkperp.root:-.}",
      description = "repository root (default: the zkperp.root property or .)")
  private Path root;

  @Option(
      names = "--accounts",
      defaultValue = "1000000",
      description = "populated accounts for the tree benchmarks (default 1,000,000)")
  private int accounts;

  @Option(
      names = "--tree-dir",
      description = "where to build the populated tree (default: a directory under /tmp, reused)")
  private Path treeDir;

  @Option(names = "--out", description = "also write the report to this file")
  private Path out;

  private final StringBuilder report = new StringBuilder();

  /**
   * Entry point.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchmarkReport()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (suites.isEmpty()) {
      suites = List.of("poseidon2", "eddsa", "tree");
    }
    line("# zkperp benchmark report");
    line("");
    line("- date: " + LocalDate.now());
    line("- machine: " + MachineInfo.describe());
    line("- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    line("");
    Map<String, Double> poseidon = new LinkedHashMap<>();
    for (String suite : suites) {
      switch (suite) {
        case "poseidon2" -> poseidon = poseidon2();
        case "eddsa" -> eddsa();
        case "tree" -> TreeBenchmarks.run(this, accounts, treeDir, poseidon);
        default ->
            throw new CommandLine.ParameterException(
                new CommandLine(this), "unknown suite '" + suite + "'");
      }
    }
    if (out != null) {
      Files.writeString(out, report);
    }
    return 0;
  }

  private Map<String, Double> poseidon2() throws Exception {
    Path goModule = root.resolve("prover-bridge/native");
    List<Double> goNs = new ArrayList<>();
    Map<String, List<Double>> java = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      System.err.printf("poseidon2 round %d/%d: gnark-crypto (Go)%n", round, rounds);
      goNs.addAll(GoBenchmark.nsPerOp(goModule, "./layout", "BenchmarkPoseidon2Compress", 3, "1s"));
      System.err.printf("poseidon2 round %d/%d: Java (JMH)%n", round, rounds);
      JmhRun.scores(Poseidon2Benchmark.class.getName() + "\\.", 1, 3, 5, 1, Map.of())
          .forEach((k, v) -> java.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }
    double nativePerSec = 1e9 / Medians.of(goNs);
    line("## Poseidon2 Compress: Java vs gnark-crypto (native Go, assembly field arithmetic)");
    line("");
    line(
        String.format(
            Locale.ROOT,
            "%d alternating rounds; each round: `go test -bench BenchmarkPoseidon2Compress -count 3"
                + " -benchtime 1s` then JMH (1 fork, 3×1 s warm-up, 5×1 s measurement). Medians over"
                + " all samples (Go: %d, Java: %d per form).",
            rounds,
            goNs.size(),
            java.values().iterator().next().size()));
    line("");
    line("| implementation | Compress/s (median) | µs per Compress | native ÷ this |");
    line("|---|---:|---:|---:|");
    row("gnark-crypto `Permutation.Compress` (bytes)", nativePerSec, 1.0);
    Map<String, Double> medians = new LinkedHashMap<>();
    medians.put("native", nativePerSec);
    for (var e : java.entrySet()) {
      double perSec = Medians.of(e.getValue());
      medians.put(e.getKey(), perSec);
      row("Java `Poseidon2." + e.getKey() + "`", perSec, nativePerSec / perSec);
    }
    line("");
    double ratio = nativePerSec / medians.get("compressBytes");
    line(
        String.format(
            Locale.ROOT,
            "Target: Java within 3× of native. Measured (same API, bytes): **%.2f×** — %s.",
            ratio,
            ratio <= 3.0 ? "met" : "NOT met"));
    line("");
    return medians;
  }

  private void eddsa() throws Exception {
    Map<String, List<Double>> s =
        JmhRun.scores(EdDsaBenchmark.class.getName() + "\\.", 1, 2, 5, 1, Map.of());
    line("## EdDSA (BN254 twisted Edwards, Poseidon2 challenge)");
    line("");
    line("JMH, 1 fork, 2×1 s warm-up, 5×1 s measurement; medians of the iterations.");
    line("");
    line("| operation | ops/s (median) | µs/op |");
    line("|---|---:|---:|");
    for (var e : s.entrySet()) {
      double perSec = Medians.of(e.getValue());
      line(String.format(Locale.ROOT, "| `%s` | %,.0f | %.1f |", e.getKey(), perSec, 1e6 / perSec));
    }
    line("");
  }

  private void row(String name, double perSec, double ratio) {
    line(
        String.format(
            Locale.ROOT, "| %s | %,.0f | %.2f | %.2f× |", name, perSec, 1e6 / perSec, ratio));
  }

  /**
   * Appends a line to the report and prints it.
   *
   * @param s the line
   */
  void line(String s) {
    report.append(s).append('\n');
    System.out.println(s);
  }

  /**
   * The repository root.
   *
   * @return the root directory
   */
  Path root() {
    return root;
  }

  static Path defaultTreeDir(int accounts) throws IOException {
    Path p = Paths.get(System.getProperty("java.io.tmpdir"), "zkperp-bench-tree-" + accounts);
    Files.createDirectories(p);
    return p;
  }
}
