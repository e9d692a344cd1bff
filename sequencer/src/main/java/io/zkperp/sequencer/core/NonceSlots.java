package io.zkperp.sequencer.core;

import java.io.IOException;
import java.util.Arrays;

/**
 * The per-account nonce window: slot {@code nonce mod 2^12} of each account holds the nonce that
 * owns it, the size filled so far and the slot's state (a live order id, {@link #OPEN} or {@link
 * #CLOSED}). Slots are never emptied (as the fill tree of the state layout).
 *
 * <p>Layout: one {@code long[]} per account, indexed directly by slot ({@code [nonce, filled,
 * state]} at {@code 3 * slot}), doubled on demand up to the 2^12 slots of the window (the fills
 * tree of state layout v2 has depth 12). Sequential nonces therefore touch adjacent memory (one
 * global hash table of all slots missed the cache on nearly every order and halved throughput), and
 * iteration in (account, slot) order is the canonical key order with no sorting. (256-slot chunks
 * instead of one array avoid the copy on growth but measured 12% slower; see docs/benchmarks.md.)
 * Not thread-safe (core thread).
 */
final class NonceSlots {
  /** Window size: slot = nonce mod 2^12 (layout v2's fills tree, {@code LayoutV2.FILLS_DEPTH}). */
  static final int WINDOW = 1 << io.zkperp.protocol.state.v2.LayoutV2.FILLS_DEPTH;

  /**
   * Slot state: no live order (an immediate order's unfilled remainder was dropped); the same
   * signed order may be resubmitted only while nothing of it has filled (a resubmission carries the
   * same signed size, so any fill would let it trade more than signed).
   */
  static final long OPEN = 0;

  /** Slot state: the nonce's order was cancelled, expired or filled; it cannot be used again. */
  static final long CLOSED = -1;

  private static final int INITIAL_SLOTS = 64;
  private long[][] tables = new long[1024][];
  private int size;

  /** Receives slots in canonical order. */
  interface SlotVisitor {
    void visit(int account, int slot, long nonce, long filled, long state) throws IOException;
  }

  static int slot(long nonce) {
    return (int) (nonce & (WINDOW - 1));
  }

  int size() {
    return size;
  }

  /** The slot of {@code nonce} if it was ever used, else -1. */
  int find(int account, long nonce) {
    if (account >= tables.length) {
      return -1;
    }
    long[] t = tables[account];
    int at = slot(nonce) * 3;
    if (t == null || at >= t.length || t[at] == 0) {
      return -1;
    }
    return at / 3;
  }

  long nonceAt(int account, int slot) {
    return tables[account][slot * 3];
  }

  long filledAt(int account, int slot) {
    return tables[account][slot * 3 + 1];
  }

  long stateAt(int account, int slot) {
    return tables[account][slot * 3 + 2];
  }

  void setState(int account, int slot, long state) {
    tables[account][slot * 3 + 2] = state;
  }

  void addFilled(int account, int slot, long fill) {
    tables[account][slot * 3 + 1] += fill;
  }

  /** Creates or overwrites the slot of {@code nonce} (≥ 1). */
  void set(int account, long nonce, long filled, long state) {
    if (account >= tables.length) {
      tables = Arrays.copyOf(tables, Math.max(account + 1, tables.length * 2));
    }
    int s = slot(nonce);
    long[] t = tables[account];
    if (t == null || s * 3 >= t.length) {
      int slots = t == null ? INITIAL_SLOTS : t.length / 3;
      while (slots <= s) {
        slots *= 2;
      }
      t = t == null ? new long[slots * 3] : Arrays.copyOf(t, slots * 3);
      tables[account] = t;
    }
    int at = s * 3;
    if (t[at] == 0) {
      size++;
    }
    t[at] = nonce;
    t[at + 1] = filled;
    t[at + 2] = state;
  }

  /** Visits every used slot by ascending (account, slot): by key {@code account << 12 | slot}. */
  void forEach(SlotVisitor visitor) throws IOException {
    for (int a = 0; a < tables.length; a++) {
      long[] t = tables[a];
      if (t == null) {
        continue;
      }
      for (int at = 0; at < t.length; at += 3) {
        if (t[at] != 0) {
          visitor.visit(a, at / 3, t[at], t[at + 1], t[at + 2]);
        }
      }
    }
  }
}
