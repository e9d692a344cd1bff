package io.zkperp.node;

import io.zkperp.gateway.HealthCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settling node's {@code /health}: unhealthy while the settlement is paused (a record the
 * circuit cannot prove, or an engine/tree disagreement; see {@link Settlement#pausedAt()}), or
 * while any stage — L1 watcher, settlement, proving, L1 submitter — has not advanced for longer
 * than the stall limit ({@link StageProgress}); healthy again as soon as the stage advances.
 *
 * <p>Threads: {@link #problems} from any thread (the gateway's event loop); it reads volatile
 * fields only.
 */
public final class NodeHealth implements HealthCheck {
  private final SettlementStage settlement;
  private final List<StageProgress> stages;
  private final long limitNanos;
  private final L1Submitter submitter;

  /**
   * Creates the check.
   *
   * @param settlement the settlement (its pause)
   * @param stages the stages' progress records
   * @param stallAfter how long a stage may go without advancing
   */
  public NodeHealth(SettlementStage settlement, List<StageProgress> stages, Duration stallAfter) {
    this(settlement, stages, stallAfter, null);
  }

  /**
   * Creates the check with the L1 submitter, whose rollup's freeze is a problem of its own.
   *
   * @param settlement the settlement (its pause)
   * @param stages the stages' progress records
   * @param stallAfter how long a stage may go without advancing
   * @param submitter the L1 submitter, or null without L1
   */
  public NodeHealth(
      SettlementStage settlement,
      List<StageProgress> stages,
      Duration stallAfter,
      L1Submitter submitter) {
    this.submitter = submitter;
    this.settlement = Objects.requireNonNull(settlement, "settlement");
    this.stages = List.copyOf(stages);
    if (stallAfter.isNegative() || stallAfter.isZero()) {
      throw new IllegalArgumentException("stallAfter must be positive");
    }
    this.limitNanos = stallAfter.toNanos();
  }

  @Override
  public List<Problem> problems() {
    List<Problem> problems = new ArrayList<>();
    long paused = settlement.pausedAt();
    if (paused != 0) {
      problems.add(
          new Problem(
              "settlement",
              settlement.pausedForMillis(),
              "paused at journal record " + paused + ": " + settlement.pauseReason()));
    }
    if (submitter != null && submitter.frozen()) {
      problems.add(
          new Problem(
              "l1-submitter",
              0,
              "the rollup is frozen on L1: no batch is committed any more (batches after "
                  + submitter.l1Batch()
                  + " stay on L2); accounts leave by escape"));
    }
    for (StageProgress s : stages) {
      s.stalled(limitNanos)
          .ifPresent(st -> problems.add(new Problem(s.stage(), st.millis(), st.reason())));
    }
    return problems;
  }
}
