package io.zkperp.sequencer.core;

import java.util.Arrays;

/**
 * Open-addressing map from non-negative long keys to long values (0 when absent), no boxing, no
 * deletion (an entry set to 0 stays). Not thread-safe (core thread).
 */
final class LongLongHashMap {
  private static final long EMPTY = -1;
  private long[] keys;
  private long[] values;
  private int size;
  private int mask;
  private int shift;

  LongLongHashMap(int expected) {
    allocate(Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1);
  }

  private void allocate(int cap) {
    keys = new long[cap];
    Arrays.fill(keys, EMPTY);
    values = new long[cap];
    mask = cap - 1;
    shift = 64 - Integer.numberOfTrailingZeros(cap);
  }

  private int home(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  long get(long key) {
    for (int i = home(key); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == EMPTY) {
        return 0;
      }
    }
  }

  void add(long key, long delta) {
    for (int i = home(key); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        values[i] = Math.addExact(values[i], delta);
        return;
      }
      if (k == EMPTY) {
        keys[i] = key;
        values[i] = delta;
        if (++size * 2 > keys.length) {
          grow();
        }
        return;
      }
    }
  }

  /** Keys with a non-zero value, ascending. */
  long[] sortedNonZeroKeys() {
    long[] out = new long[size];
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY && values[i] != 0) {
        out[n++] = keys[i];
      }
    }
    out = Arrays.copyOf(out, n);
    Arrays.sort(out);
    return out;
  }

  void clear() {
    Arrays.fill(keys, EMPTY);
    Arrays.fill(values, 0);
    size = 0;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    allocate(oldKeys.length * 2);
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != EMPTY) {
        int i = home(oldKeys[j]);
        while (keys[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }
}
