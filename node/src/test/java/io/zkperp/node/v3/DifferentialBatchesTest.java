package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.prover.BatchProver;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #16's first acceptance point: random engine runs (the differential run of {@link
 * EngineAgainstCircuitTest}: every command settled and the tree compared with the engine) sealed
 * into format v3 batches ({@link BatchAssembler}, check-only shape {@code v3-check}), every batch
 * checked by the real gnark solver over JNI. CI runs seed 1 with {@value #CI_COMMANDS} commands;
 * {@code ZKPERP_V3_DIFFERENTIAL_FULL=1} runs EngineAgainstCircuitTest's seeds 1, 2 and 3 with
 * {@value EngineAgainstCircuitTest#COMMANDS} commands each.
 */
class DifferentialBatchesTest {
  static final int CI_COMMANDS = 100;
  static final boolean FULL = "1".equals(System.getenv("ZKPERP_V3_DIFFERENTIAL_FULL"));
  static BatchProver checker;

  @BeforeAll
  static void open() {
    long start = System.nanoTime();
    checker = BatchProver.openForCheck(DifferentialBatches.SHAPE_NAME, Deployment.DOMAIN);
    System.out.printf(
        "v3-check circuit compiled in %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  static void close() {
    if (checker != null) {
      checker.close();
    }
  }

  static LongStream seeds() {
    return FULL ? LongStream.of(1, 2, 3) : LongStream.of(1);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyBatchOfARandomEngineRunSatisfiesTheCircuit(long seed, @TempDir Path dir)
      throws Exception {
    long start = System.nanoTime();
    EngineAgainstCircuitTest.Counts counts;
    DifferentialBatches batches;
    try (DifferentialRun run = new DifferentialRun(seed, dir)) {
      batches = new DifferentialBatches(checker, run.store.roots().stateRoot());
      run.batches = batches;
      counts =
          EngineAgainstCircuitTest.drive(
              run, FULL ? EngineAgainstCircuitTest.COMMANDS : CI_COMMANDS);
      untilAFundingTick(run, counts);
      batches.finish(run.now);
    }
    System.out.printf(
        "seed %d: %d batches checked over JNI in %d ms (%s live steps), %d period-start commands"
            + " not sealable (%d steps), run and checks in %d ms; run: %s%n",
        seed,
        batches.batches,
        batches.checkNanos / 1_000_000,
        batches.checkedSteps,
        batches.gaps,
        batches.stepsInGaps,
        (System.nanoTime() - start) / 1_000_000,
        counts);
    assertThat(counts.unprovable).isZero();
    assertThat(batches.batches).isPositive();
    assertThat(batches.checkedSteps.get("Trade")).isPositive();
    assertThat(batches.checkedSteps.get("Oracle")).isPositive();
    assertThat(batches.checkedSteps.get("Funding")).isPositive();
    assertThat(batches.checkedSteps.get("Collateral")).isGreaterThan(Deployment.ACCOUNTS);
    int settled =
        counts.steps.entrySet().stream()
            .filter(e -> !e.getKey().startsWith(" "))
            .mapToInt(e -> e.getValue())
            .sum();
    int checked = batches.checkedSteps.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(checked + batches.stepsInGaps)
        .as("every settled step batched or in a gap")
        .isEqualTo(settled);
    assertThat(batches.gaps).as("commands the shape has no slot for").isZero();
    assertThat(batches.checkedSteps.get("PeriodStart"))
        .as("the funding period starts batched")
        .isEqualTo(counts.steps.get("PeriodStart"))
        .isPositive();
  }

  /**
   * Moves the engine's time on until a derived funding tick has been settled (a funding interval is
   * 600 s; a short run does not reach one).
   */
  private static void untilAFundingTick(DifferentialRun run, EngineAgainstCircuitTest.Counts counts)
      throws Exception {
    for (int i = 0; i < 200 && counts.steps.getOrDefault("Funding", 0) == 0; i++) {
      EngineAgainstCircuitTest.settle(run, run.tick(), counts, "funding " + i);
    }
  }
}
