package io.zkperp.sequencer.core;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Open-addressing hash map from non-negative long keys to objects: linear probing, backward-shift
 * deletion, no boxing. Iteration order is not meaningful. Not thread-safe (core thread).
 *
 * @param <V> the value type
 */
final class LongObjectHashMap<V> {
  private static final long EMPTY = -1;
  private long[] keys;
  private Object[] values;
  private int size;
  private int mask;
  private int shift;

  LongObjectHashMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    allocate(cap);
  }

  private void allocate(int cap) {
    keys = new long[cap];
    Arrays.fill(keys, EMPTY);
    values = new Object[cap];
    mask = cap - 1;
    shift = 64 - Integer.numberOfTrailingZeros(cap);
  }

  private int home(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(long key) {
    for (int i = home(key); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return (V) values[i];
      }
      if (k == EMPTY) {
        return null;
      }
    }
  }

  void put(long key, V value) {
    if (key < 0) {
      throw new IllegalArgumentException("negative key " + key);
    }
    for (int i = home(key); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == EMPTY) {
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
          grow();
        }
        return;
      }
    }
  }

  @SuppressWarnings("unchecked")
  V remove(long key) {
    int i = home(key);
    while (true) {
      long k = keys[i];
      if (k == EMPTY) {
        return null;
      }
      if (k == key) {
        break;
      }
      i = (i + 1) & mask;
    }
    V old = (V) values[i];
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long k = keys[j];
      if (k == EMPTY) {
        break;
      }
      int h = home(k);
      boolean stays = (i <= j) ? (i < h && h <= j) : (i < h || h <= j);
      if (!stays) {
        keys[i] = k;
        values[i] = values[j];
        i = j;
      }
    }
    keys[i] = EMPTY;
    values[i] = null;
    size--;
    return old;
  }

  @SuppressWarnings("unchecked")
  void forEachValue(Consumer<V> consumer) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        consumer.accept((V) values[i]);
      }
    }
  }

  void clear() {
    Arrays.fill(keys, EMPTY);
    Arrays.fill(values, null);
    size = 0;
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    allocate(oldKeys.length * 2);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        insertFresh(oldKeys[i], oldValues[i]);
      }
    }
  }

  private void insertFresh(long key, Object value) {
    int i = home(key);
    while (keys[i] != EMPTY) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    size++;
  }
}
