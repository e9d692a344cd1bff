package io.zkperp.sequencer.core;

import java.util.function.Supplier;

/** How the collections' property tests report a broken step: which step, after which operation. */
final class PropertySteps {
  private PropertySteps() {}

  /** Fails with "step N after OP: what" unless {@code ok}. */
  static void check(boolean ok, int step, Object op, String what) {
    if (!ok) {
      throw new AssertionError("step " + step + " after " + op + ": " + what);
    }
  }

  /** As {@link #check(boolean, int, Object, String)}, the message built only on failure. */
  static void check(boolean ok, int step, Object op, Supplier<String> what) {
    if (!ok) {
      check(false, step, op, what.get());
    }
  }

  /** "account A slot S holds (nonce, filled, state)", as the window stores it now. */
  static String slotState(NonceSlots slots, int account, int slot) {
    return "account "
        + account
        + " slot "
        + slot
        + " holds ("
        + slots.nonceAt(account, slot)
        + ", "
        + slots.filledAt(account, slot)
        + ", "
        + slots.stateAt(account, slot)
        + ")";
  }
}
