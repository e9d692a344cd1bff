package io.zkperp.bench.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark readers' failed reads by kind (the JSON-RPC error's name, {@code HTTP <status>} or
 * the I/O exception's class), with the first {@link #EXAMPLES} messages of each kind, so that a run
 * whose "reads" were cheap error answers says so. Thread-safe (guarded by this object; errors are
 * rare in a valid run).
 */
final class ReadErrors {
  /** How many messages are kept per kind. */
  static final int EXAMPLES = 3;

  private final Map<String, Long> counts = new TreeMap<>();
  private final Map<String, List<String>> examples = new TreeMap<>();

  /**
   * Counts one failed read.
   *
   * @param kind what failed, e.g. {@code READ_AUTH_REQUIRED}
   * @param method the method called
   * @param message the error's message
   */
  synchronized void add(String kind, String method, String message) {
    counts.merge(kind, 1L, Long::sum);
    List<String> l = examples.computeIfAbsent(kind, k -> new ArrayList<>());
    if (l.size() < EXAMPLES) {
      l.add(method + ": " + (message.length() > 300 ? message.substring(0, 300) + "…" : message));
    }
  }

  /**
   * The failed reads counted since the last {@link #clear}.
   *
   * @return the total
   */
  synchronized long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Failed reads per kind.
   *
   * @return a copy, by kind
   */
  synchronized Map<String, Long> byKind() {
    return new TreeMap<>(counts);
  }

  /** Forgets every counted error. */
  synchronized void clear() {
    counts.clear();
    examples.clear();
  }

  /**
   * One line per kind: the count and the first messages; empty when there were none.
   *
   * @return the report
   */
  synchronized String report() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      b.append(String.format("  read errors %s: %,d, e.g.%n", e.getKey(), e.getValue()));
      for (String m : examples.get(e.getKey())) {
        b.append("    ").append(m).append(System.lineSeparator());
      }
    }
    return b.toString();
  }
}
