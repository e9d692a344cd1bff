package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link StageProgress}: when a stage counts as stalled, and the reason it gives. */
class StageProgressTest {
  static final long SECOND = 1_000_000_000L;

  final AtomicLong now = new AtomicLong(1_000 * SECOND);
  final StageProgress p = new StageProgress("proving", now::get);

  void pass(Runnable inside) {
    p.passStarted();
    inside.run();
    p.passEnded();
  }

  @Test
  void passesWithNothingWaitingKeepTheStageHealthy() {
    for (int i = 0; i < 10; i++) {
      now.addAndGet(SECOND);
      pass(() -> {});
    }
    assertThat(p.stalled(2 * SECOND)).isEmpty();
    assertThat(p.secondsSinceAdvance()).isZero();
  }

  @Test
  void waitingWorkStallsTheStageAfterTheLimitAndAnAdvanceEndsIt() {
    pass(() -> p.waiting("batch 3 waits for its proof"));
    now.addAndGet(2 * SECOND);
    assertThat(p.stalled(2 * SECOND)).isEmpty(); // not longer than the limit yet
    now.addAndGet(1);
    pass(() -> p.waiting("batch 3 waits for its proof"));
    StageProgress.Stall s = p.stalled(2 * SECOND).orElseThrow();
    assertThat(s.millis()).isEqualTo(2_000);
    assertThat(s.reason()).isEqualTo("batch 3 waits for its proof");
    // batch 3 proven while batch 4 waits: moving work counts as advancing
    pass(
        () -> {
          p.advanced();
          p.waiting("batch 4 waits for its proof");
        });
    assertThat(p.stalled(2 * SECOND)).isEmpty();
  }

  @Test
  void failingPassesStallTheStageNamingTheErrorAndWhatWaits() {
    p.passStarted();
    p.failed("eth_blockNumber: Connection refused");
    now.addAndGet(3 * SECOND);
    assertThat(p.stalled(2 * SECOND).orElseThrow().reason())
        .isEqualTo("every pass fails; last error: eth_blockNumber: Connection refused");
    p.waiting("batch 2 proven, not yet committed on L1"); // from the failure policy
    assertThat(p.stalled(2 * SECOND).orElseThrow().reason())
        .isEqualTo(
            "batch 2 proven, not yet committed on L1; last error: eth_blockNumber: Connection"
                + " refused");
    assertThat(p.failures()).isEqualTo(1);
    // the next pass succeeds with nothing waiting: healthy, the reason gone
    pass(() -> {});
    assertThat(p.stalled(0)).isEmpty();
    now.addAndGet(3 * SECOND);
    assertThat(p.stalled(2 * SECOND).orElseThrow().reason())
        .isEqualTo("no pass has completed (the stage's thread is busy or hung)");
  }
}
