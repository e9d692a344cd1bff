package io.zkperp.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs JMH benchmarks through its API and returns every measurement iteration's score. */
final class JmhRun {
  private JmhRun() {}

  /**
   * Runs the benchmarks matching a regex.
   *
   * @return per benchmark method name, the scores of all measurement iterations of all forks
   */
  static Map<String, List<Double>> scores(
      String includeRegex,
      int forks,
      int warmups,
      int iterations,
      int secondsPerIteration,
      Map<String, String> params)
      throws RunnerException {
    ChainedOptionsBuilder opts =
        new OptionsBuilder()
            .include(includeRegex)
            .forks(forks)
            .warmupIterations(warmups)
            .warmupTime(TimeValue.seconds(secondsPerIteration))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(secondsPerIteration))
            .shouldFailOnError(true)
            .jvmArgsAppend("-Xms2g", "-Xmx8g");
    params.forEach(opts::param);
    Collection<RunResult> results = new Runner(opts.build()).run();
    Map<String, List<Double>> out = new LinkedHashMap<>();
    for (RunResult run : results) {
      String name = run.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      List<Double> samples = out.computeIfAbsent(name, k -> new ArrayList<>());
      for (BenchmarkResult b : run.getBenchmarkResults()) {
        for (IterationResult it : b.getIterationResults()) {
          samples.add(it.getPrimaryResult().getScore());
        }
      }
    }
    return out;
  }
}
