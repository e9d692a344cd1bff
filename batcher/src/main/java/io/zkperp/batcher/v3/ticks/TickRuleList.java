package io.zkperp.batcher.v3.ticks;

import java.util.ArrayList;
import java.util.List;

/**
 * The broken rules of a tick, each once, in the order first found (the reference's {@code
 * rules.add}). Mutable; confined to the thread that checks one tick.
 */
final class TickRuleList {
  private final List<TickRefusalReason> rules = new ArrayList<>();

  /** Adds a rule unless it is listed already. */
  void add(TickRefusalReason r) {
    if (!rules.contains(r)) {
      rules.add(r);
    }
  }

  /** The rules, as an unmodifiable copy. */
  List<TickRefusalReason> list() {
    return List.copyOf(rules);
  }

  /** Refuses with the rules when any is broken. */
  static void refuseIfAny(List<TickRefusalReason> rules, String what) throws TickRefusedException {
    if (!rules.isEmpty()) {
      throw new TickRefusedException(rules, what + " breaks " + rules);
    }
  }

  /** A refusal that is not a rule break. */
  static TickRefusedException refused(TickRefusalReason reason, String message) {
    return new TickRefusedException(List.of(reason), message);
  }

  /**
   * Checks a leaf value the tick circuit reads as below 2^63 (a u64 held as a Java long's bits).
   */
  static long signed(long u64, String what) throws TickRefusedException {
    if (u64 < 0) {
      throw refused(
          TickRefusalReason.VALUE_OUT_OF_RANGE,
          what + " " + Long.toUnsignedString(u64) + " ≥ 2^63");
    }
    return u64;
  }

  /** Checks the step's time and the batch time: the circuit reads times in 0 … 2^63 − 1. */
  static void checkTimes(long now, long batchTime) throws TickRefusedException {
    if (now < 0 || batchTime < 0) {
      throw refused(
          TickRefusalReason.VALUE_OUT_OF_RANGE,
          "tick time " + now + ", batch time " + batchTime + ": negative");
    }
  }
}
