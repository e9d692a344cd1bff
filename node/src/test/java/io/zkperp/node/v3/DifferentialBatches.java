package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.protocol.field.Fr;
import io.zkperp.prover.BatchProver;
import io.zkperp.sequencer.risk.LiquidationConfig;
import java.util.Map;
import java.util.TreeMap;

/**
 * The differential run's settled commands sealed into batches of the check-only shape {@code
 * v3-check} ({@link BatchAssembler}) and every sealed batch's witness checked at once by the real
 * gnark solver over JNI ({@link BatchProver#openForCheck}, the run's deployment).
 *
 * <p>A command with a step the shape has no slot for is refused by the assembler ({@link
 * UnbatchableStepException}): the open batch is sealed and checked, the command is counted as a
 * gap, and batching resumes after it (a new assembler at the root after the command, with the next
 * batch number, the same priority hash and the last T). With a period-start slot in {@code
 * v3-check} the run has no gap (the test requires none). The test's thread.
 */
final class DifferentialBatches {
  /**
   * prover/shapes.go "v3-check": 4 trades, 2 deposits, one of each other collateral step, an oracle
   * tick, 2 funding ticks, one liquidation fill, one insurance takeover, one deleveraging, a
   * funding period start; N = 3, K = 4, 3 report slots; the liquidation fee rate of the engine's
   * {@link LiquidationConfig#DEFAULT} (a constant of the liquidation step).
   */
  static final BatchShape V3_CHECK =
      new BatchShape(4, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 3, 4, 3, LiquidationConfig.DEFAULT.feePpm());

  static final String SHAPE_NAME = "v3-check";

  private final BatchProver checker;
  private BatchAssembler assembler;
  private long lastTime;
  int batches;
  int gaps;
  int stepsInGaps;
  long checkNanos;
  final Map<String, Integer> checkedSteps = new TreeMap<>();

  DifferentialBatches(BatchProver checker, Fr root) throws Exception {
    this.checker = checker;
    this.assembler =
        new BatchAssembler(SHAPE_NAME, V3_CHECK, Deployment.DOMAIN, 1, Fr.ZERO, root, 0);
  }

  /** Adds a settled command; checks every batch it seals. */
  void add(SettledCommand c) throws Exception {
    try {
      for (SealedBatchV3 b : assembler.add(c)) {
        check(b);
      }
    } catch (UnbatchableStepException e) {
      if (!e.kind().equals("PeriodStart")) {
        throw e;
      }
      check(assembler.seal(lastTime));
      assembler =
          new BatchAssembler(
              SHAPE_NAME,
              V3_CHECK,
              Deployment.DOMAIN,
              assembler.nextBatchNumber(),
              assembler.priorityHash(),
              c.roots().stateRoot(),
              lastTime);
      gaps++;
      stepsInGaps += c.steps().size();
    }
  }

  /** Seals and checks the open batch at the engine's time. */
  void finish(long time) throws Exception {
    check(assembler.seal(time));
  }

  private void check(SealedBatchV3 b) {
    if (b == null) {
      return;
    }
    long start = System.nanoTime();
    checker.check(b.witness().witness());
    checkNanos += System.nanoTime() - start;
    lastTime = b.batchTime();
    batches++;
    b.origins().forEach(o -> checkedSteps.merge(o.kind(), 1, Integer::sum));
  }
}
