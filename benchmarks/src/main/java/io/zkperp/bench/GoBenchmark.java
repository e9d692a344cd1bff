package io.zkperp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one of the Go module's benchmarks ({@code go test -bench}) and returns its ns/op samples,
 * one per {@code -count} repetition. This is how gnark-crypto's native speed enters a report
 * measured on the same machine in the same session.
 */
final class GoBenchmark {
  private static final Pattern LINE =
      Pattern.compile("^(Benchmark\\S+?)(?:-\\d+)?\\s+\\d+\\s+([0-9.]+) ns/op");

  private GoBenchmark() {}

  static List<Double> nsPerOp(
      Path goModule, String pkg, String benchmark, int count, String benchtime)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                "go",
                "test",
                "-run",
                "^$",
                "-bench",
                "^" + benchmark + "$",
                "-benchtime",
                benchtime,
                "-count",
                Integer.toString(count),
                pkg)
            .directory(goModule.toFile())
            .redirectErrorStream(true);
    pb.environment().put("GOTOOLCHAIN", "local");
    Process p = pb.start();
    StringBuilder transcript = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        transcript.append(line).append('\n');
      }
    }
    List<Double> samples = parse(transcript.toString(), benchmark);
    int rc = p.waitFor();
    if (rc != 0 || samples.isEmpty()) {
      throw new IOException(
          "go benchmark " + benchmark + " failed (exit " + rc + "):\n" + transcript);
    }
    return samples;
  }

  /** The ns/op figures of one benchmark in {@code go test -bench} output. */
  static List<Double> parse(String output, String benchmark) {
    List<Double> samples = new ArrayList<>();
    for (String line : output.split("\n")) {
      Matcher m = LINE.matcher(line.trim());
      if (m.find() && m.group(1).equals(benchmark)) {
        samples.add(Double.parseDouble(m.group(2)));
      }
    }
    return samples;
  }
}
