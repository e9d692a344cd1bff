package io.zkperp.gateway;

import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /health} reports: the problems of the process the gateway serves. No problem
 * means HTTP 200 {@code {"status":"UP"}}; any problem means HTTP 503 {@code {"status":"DOWN",
 * "problems":[…]}} naming each problem's stage, how long it has stalled and why. The gateway alone
 * has no problems ({@link #NONE}); a settling node plugs in the checks of its stages.
 *
 * <p>Threads: {@link #problems} is called on a Netty event-loop thread for each request, so it must
 * be cheap and must not block (read volatile fields, no I/O).
 */
@FunctionalInterface
public interface HealthCheck {
  /** A check that never finds a problem (the gateway alone). */
  HealthCheck NONE = List::of;

  /**
   * The problems now. Netty event-loop thread; must not block.
   *
   * @return the problems, empty when healthy
   */
  List<Problem> problems();

  /**
   * One unhealthy stage.
   *
   * @param stage the stage, e.g. {@code proving}
   * @param stalledMillis how long it has not advanced (0 when the problem is not a stall, e.g. a
   *     paused stage)
   * @param reason why, in words (what waits, the last error)
   */
  record Problem(String stage, long stalledMillis, String reason) {
    /** Checks the fields. */
    public Problem {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(reason, "reason");
      if (stalledMillis < 0) {
        throw new IllegalArgumentException("stalledMillis must be ≥ 0");
      }
    }
  }
}
