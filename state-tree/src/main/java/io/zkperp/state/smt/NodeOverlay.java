package io.zkperp.state.smt;

import java.util.Arrays;

/**
 * An open-addressing hash map from packed node keys to field elements in limbs, with no per-entry
 * objects: the in-memory overlay of the nodes a batch has written. Grows by doubling at 50% load.
 *
 * <p>Not thread-safe: confined to the writer thread (concurrent {@link #get} calls with no
 * concurrent writer are safe).
 */
public final class NodeOverlay {
  /** The key marking a free slot; never a valid node key (kind 255, owner 2^24-1, ...). */
  public static final long FREE = -1L;

  private long[] keys;
  private long[] values;
  private int size;
  private int shift;

  /**
   * Creates an empty overlay.
   *
   * @param expected expected number of entries
   */
  public NodeOverlay(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    allocate(cap);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    Arrays.fill(keys, FREE);
    values = new long[capacity * 4];
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    size = 0;
  }

  private int slot(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  /**
   * Looks a key up.
   *
   * @param key node key
   * @param dst destination limbs
   * @param off offset
   * @return true if present (and copied)
   */
  public boolean get(long key, long[] dst, int off) {
    int mask = keys.length - 1;
    for (int s = slot(key); ; s = (s + 1) & mask) {
      long k = keys[s];
      if (k == key) {
        System.arraycopy(values, s * 4, dst, off, 4);
        return true;
      }
      if (k == FREE) {
        return false;
      }
    }
  }

  /**
   * Whether a key is present.
   *
   * @param key node key
   * @return true if present
   */
  public boolean contains(long key) {
    int mask = keys.length - 1;
    for (int s = slot(key); ; s = (s + 1) & mask) {
      long k = keys[s];
      if (k == key) {
        return true;
      }
      if (k == FREE) {
        return false;
      }
    }
  }

  /**
   * Inserts or replaces an entry.
   *
   * @param key node key (not {@link #FREE})
   * @param src source limbs
   * @param off offset
   */
  public void put(long key, long[] src, int off) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int s = slot(key); ; s = (s + 1) & mask) {
      long k = keys[s];
      if (k == key || k == FREE) {
        if (k == FREE) {
          keys[s] = key;
          size++;
        }
        System.arraycopy(src, off, values, s * 4, 4);
        return;
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    allocate(oldKeys.length * 2);
    for (int s = 0; s < oldKeys.length; s++) {
      if (oldKeys[s] != FREE) {
        put(oldKeys[s], oldValues, s * 4);
      }
    }
  }

  /**
   * Number of entries.
   *
   * @return size
   */
  public int size() {
    return size;
  }

  /** Removes every entry, keeping up to a moderate capacity. */
  public void clear() {
    if (keys.length > (1 << 16)) {
      allocate(1 << 16);
    } else {
      Arrays.fill(keys, FREE);
      size = 0;
    }
  }

  /**
   * Number of slots, for iteration with {@link #keyAt} and {@link #valueAt}.
   *
   * @return capacity
   */
  public int capacity() {
    return keys.length;
  }

  /**
   * The key in a slot.
   *
   * @param slot 0 .. capacity-1
   * @return the key, or {@link #FREE}
   */
  public long keyAt(int slot) {
    return keys[slot];
  }

  /**
   * Copies the value in an occupied slot.
   *
   * @param slot 0 .. capacity-1
   * @param dst destination
   * @param off offset
   */
  public void valueAt(int slot, long[] dst, int off) {
    System.arraycopy(values, slot * 4, dst, off, 4);
  }

  /**
   * All keys, sorted.
   *
   * @return a new array of the keys present
   */
  public long[] sortedKeys() {
    long[] out = new long[size];
    int n = 0;
    for (long k : keys) {
      if (k != FREE) {
        out[n++] = k;
      }
    }
    Arrays.sort(out);
    return out;
  }
}
