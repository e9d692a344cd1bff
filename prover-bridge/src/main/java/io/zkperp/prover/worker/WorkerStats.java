package io.zkperp.prover.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One worker's counters, kept durably in its job directory ({@code workers/<name>.stats}, written
 * by the worker after each result) so that they survive its restarts and can be read by the caller
 * for metrics. Immutable.
 *
 * @param worker the worker's name ({@code worker-<id>})
 * @param proven jobs it proved
 * @param failed jobs it finished with a failure (unsatisfiable, malformed, internal error)
 * @param proveNanosTotal time spent in proofs that succeeded, summed
 * @param lastProveNanos the time of its last successful proof, 0 before the first
 */
public record WorkerStats(
    String worker, long proven, long failed, long proveNanosTotal, long lastProveNanos) {

  /** Checks the values. */
  public WorkerStats {
    Objects.requireNonNull(worker, "worker");
    if (proven < 0 || failed < 0 || proveNanosTotal < 0 || lastProveNanos < 0) {
      throw new IllegalArgumentException("counters are never negative");
    }
  }

  /**
   * A worker that has done nothing yet.
   *
   * @param worker its name
   * @return zero counters
   */
  public static WorkerStats empty(String worker) {
    return new WorkerStats(worker, 0, 0, 0, 0);
  }

  /**
   * These counters after one more successful proof.
   *
   * @param nanos how long it took
   * @return the new counters
   */
  public WorkerStats withProof(long nanos) {
    return new WorkerStats(worker, proven + 1, failed, proveNanosTotal + nanos, nanos);
  }

  /**
   * These counters after one more failed job.
   *
   * @return the new counters
   */
  public WorkerStats withFailure() {
    return new WorkerStats(worker, proven, failed + 1, proveNanosTotal, lastProveNanos);
  }

  /**
   * Text form: {@code key=value} lines.
   *
   * @return the text
   */
  String encode() {
    return "proven="
        + proven
        + "\nfailed="
        + failed
        + "\nproveNanosTotal="
        + proveNanosTotal
        + "\nlastProveNanos="
        + lastProveNanos
        + "\n";
  }

  /**
   * Parses {@link #encode}'s text.
   *
   * @param worker the worker's name
   * @param text the file's text
   * @return the counters, or empty if the text is not complete and valid
   */
  static Optional<WorkerStats> decode(String worker, String text) {
    Map<String, Long> v = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        try {
          v.put(line.substring(0, eq).strip(), Long.parseLong(line.substring(eq + 1).strip()));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    if (!v.keySet().containsAll(java.util.List.of("proven", "failed", "proveNanosTotal"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new WorkerStats(
              worker,
              v.get("proven"),
              v.get("failed"),
              v.get("proveNanosTotal"),
              v.getOrDefault("lastProveNanos", 0L)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
