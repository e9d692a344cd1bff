package io.zkperp.bench;

import io.zkperp.state.RollupStateStore;
import io.zkperp.state.StateBatch;
import io.zkperp.state.StateStoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The state-tree suite: builds (once, reused across runs) a RocksDB state with N accounts, counts
 * the Poseidon2 compressions one account update costs in each mode, runs {@link
 * StateTreeBenchmark}, and relates the measured update rates to the hash-bound limit: compress/s ÷
 * compressions per update, with compress/s measured in the same session.
 */
final class TreeBenchmarks {
  private TreeBenchmarks() {}

  static void run(BenchmarkReport report, int accounts, Path dir, Map<String, Double> poseidon)
      throws Exception {
    Path storeDir = dir != null ? dir : BenchmarkReport.defaultTreeDir(accounts);
    double populateSeconds = populate(storeDir, accounts);
    Map<String, Double> perUpdate = compressionsPerUpdate(storeDir, accounts);

    double compressPerSec;
    if (poseidon.containsKey("compressLimbs")) {
      compressPerSec = poseidon.get("compressLimbs");
    } else {
      List<Double> s =
          JmhRun.scores(
                  Poseidon2Benchmark.class.getName() + "\\.compressLimbs", 1, 3, 5, 1, Map.of())
              .get("compressLimbs");
      compressPerSec = Medians.of(s);
    }

    Map<String, List<Double>> scores = new LinkedHashMap<>();
    for (int round = 0; round < 2; round++) {
      JmhRun.scores(
              StateTreeBenchmark.class.getName() + "\\.",
              1,
              2,
              5,
              5,
              Map.of("dir", storeDir.toString(), "accounts", Integer.toString(accounts)))
          .forEach((k, v) -> scores.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }

    report.line(
        String.format(Locale.ROOT, "## State tree (%,d populated accounts, RocksDB)", accounts));
    report.line("");
    report.line(
        "JMH, 2 forks × (2×5 s warm-up, 5×5 s measurement). One invocation = a batch of "
            + StateTreeBenchmark.BATCH
            + " updates of random existing accounts plus its commit (one fsynced atomic write); "
            + "proofs are read from the latest committed version. One hashing thread. "
            + "Compressions per update are counted by the store (`StateBatch.compressions()`, "
            + "leaf hashes included) over a batch of the same shape.");
    if (populateSeconds > 0) {
      report.line("");
      report.line(
          String.format(
              Locale.ROOT,
              "Populating %,d accounts in batched mode took %.0f s (%,.0f accounts/s).",
              accounts,
              populateSeconds,
              accounts / populateSeconds));
    }
    report.line("");
    report.line(
        String.format(
            Locale.ROOT, "Poseidon2 Compress (limb API, same session): %,.0f/s.", compressPerSec));
    report.line("");
    report.line(
        "| operation | per second (median) | compressions per update | hash-bound limit | measured ÷ limit |");
    report.line("|---|---:|---:|---:|---:|");
    for (String mode : List.of("witnessUpdates", "batchedUpdates")) {
      double perSec = Medians.of(scores.get(mode));
      double c = perUpdate.get(mode);
      double limit = compressPerSec / c;
      report.line(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %.1f | %,.0f | **%.2f** |",
              mode.equals("witnessUpdates") ? "update, witness mode" : "update, batched mode",
              perSec,
              c,
              limit,
              perSec / limit));
    }
    report.line(
        String.format(
            Locale.ROOT,
            "| account proof (24 siblings + record) | %,.0f | — | — | — |",
            Medians.of(scores.get("accountProof"))));
    report.line("");
    report.line("Target: measured ÷ hash-bound limit ≥ 0.7 in both modes.");
    report.line("");
  }

  /** Builds the store if it is not yet populated; returns the seconds it took (0 if reused). */
  private static double populate(Path dir, int accounts) {
    try (RollupStateStore store = RollupStateStore.open(dir, StateStoreOptions.DEFAULT)) {
      if (accounts > 0 && store.view().account(BenchAccounts.id(accounts - 1)).isPresent()) {
        System.err.printf("tree: reusing populated store at %s%n", dir);
        return 0;
      }
      System.err.printf("tree: populating %,d accounts at %s%n", accounts, dir);
      long start = System.nanoTime();
      int chunk = 100_000;
      for (int from = 0; from < accounts; from += chunk) {
        try (StateBatch batch = store.beginBatch()) {
          for (int i = from; i < Math.min(accounts, from + chunk); i++) {
            batch.setAccount(BenchAccounts.id(i), BenchAccounts.account(i, 1_000_000));
          }
          batch.commit();
        }
        System.err.printf(
            "tree: %,d / %,d accounts (%.0f s)%n",
            Math.min(accounts, from + chunk), accounts, (System.nanoTime() - start) / 1e9);
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /** Compressions per update in each mode, counted on batches shaped like the benchmark's. */
  private static Map<String, Double> compressionsPerUpdate(Path dir, int accounts) {
    Map<String, Double> out = new LinkedHashMap<>();
    SplittableRandom random = new SplittableRandom(System.nanoTime());
    long fresh =
        random.nextLong(1L << 62); // values no update wrote before (see StateTreeBenchmark)
    try (RollupStateStore store = RollupStateStore.open(dir, StateStoreOptions.DEFAULT)) {
      for (String mode : List.of("witnessUpdates", "batchedUpdates")) {
        try (StateBatch batch = store.beginBatch()) {
          for (int k = 0; k < StateTreeBenchmark.BATCH; k++) {
            int i = random.nextInt(accounts);
            if (mode.equals("witnessUpdates")) {
              batch.setAccountWitnessed(BenchAccounts.id(i), BenchAccounts.account(i, fresh + k));
            } else {
              batch.setAccount(BenchAccounts.id(i), BenchAccounts.account(i, fresh + k));
            }
          }
          batch.roots();
          out.put(mode, batch.compressions() / (double) StateTreeBenchmark.BATCH);
          batch.abort();
        }
      }
    }
    return out;
  }
}
