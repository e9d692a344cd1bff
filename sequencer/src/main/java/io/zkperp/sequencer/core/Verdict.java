package io.zkperp.sequencer.core;

import io.zkperp.sequencer.RejectReason;
import java.util.Locale;

/**
 * The answer of a check that can refuse a command: {@link #ACCEPTED}, or a {@link Rejected} that
 * carries the typed reason and its message together (what is wrong, what would pass). A rejecting
 * check changes nothing. Immutable; any thread. Accepting allocates nothing.
 */
public sealed interface Verdict permits Verdict.Accepted, Verdict.Rejected {
  /** The single accepting verdict. */
  Verdict ACCEPTED = Accepted.INSTANCE;

  /**
   * A rejection with a formatted message ({@link String#format} in {@link Locale#ROOT}).
   *
   * @param reason the typed reason
   * @param format the message format
   * @param args the message arguments
   * @return the rejection
   */
  static Rejected reject(RejectReason reason, String format, Object... args) {
    return new Rejected(reason, String.format(Locale.ROOT, format, args));
  }

  /**
   * Whether the command may go ahead.
   *
   * @return true for {@link #ACCEPTED}
   */
  default boolean accepted() {
    return this == ACCEPTED;
  }

  /** The accepting verdict (one instance). */
  enum Accepted implements Verdict {
    /** The instance. */
    INSTANCE
  }

  /**
   * A refusal.
   *
   * @param reason the typed reason (a stable code in gateway responses)
   * @param message what was wrong and what would be accepted
   */
  record Rejected(RejectReason reason, String message) implements Verdict {}
}
