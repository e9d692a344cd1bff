package io.zkperp.node.jobs.kafka;

import io.zkperp.node.ProofJobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each prover's counters as its results reach the node (a duplicate result counts: the prover did
 * the work). Thread-safe: the results follower records, any thread reads.
 */
final class ProverCounters {
  private record Entry(
      long proven, long failed, long lastNanos, long totalNanos, long lastSeenMillis) {}

  private final Map<String, Entry> byProver = new TreeMap<>();

  synchronized void record(ResultRecord r, long nowMillis) {
    Entry e = byProver.getOrDefault(r.prover(), new Entry(0, 0, 0, 0, 0));
    boolean proved = r.outcome() instanceof ProofJobs.Proved;
    byProver.put(
        r.prover(),
        new Entry(
            e.proven + (proved ? 1 : 0),
            e.failed + (proved ? 0 : 1),
            r.proofNanos(),
            e.totalNanos + r.proofNanos(),
            nowMillis));
  }

  /** One entry per prover seen, by name. */
  synchronized List<ProofJobs.ProverStats> stats() {
    List<ProofJobs.ProverStats> out = new ArrayList<>(byProver.size());
    byProver.forEach(
        (name, e) ->
            out.add(
                new ProofJobs.ProverStats(
                    name, e.proven, e.failed, e.lastNanos / 1e9, e.totalNanos / 1e9, 0)));
    return out;
  }

  /** "name (N proven, M failed, last result S s ago), …" or "" when none was seen. */
  synchronized String describe(long nowMillis) {
    StringBuilder b = new StringBuilder();
    byProver.forEach(
        (name, e) ->
            b.append(b.isEmpty() ? "" : ", ")
                .append(name)
                .append(" (")
                .append(e.proven)
                .append(" proven, ")
                .append(e.failed)
                .append(" failed, last result ")
                .append(Math.max(0, (nowMillis - e.lastSeenMillis) / 1000))
                .append(" s ago)"));
    return b.toString();
  }
}
