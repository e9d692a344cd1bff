package io.zkperp.state.smt;

import java.util.Arrays;

/**
 * A growable list of primitive longs.
 *
 * <p>Not thread-safe.
 */
public final class LongList {
  private long[] items;
  private int size;

  /** Creates an empty list. */
  public LongList() {
    items = new long[16];
  }

  /**
   * Appends a value.
   *
   * @param v the value
   */
  public void add(long v) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    items[size++] = v;
  }

  /**
   * Number of values.
   *
   * @return size
   */
  public int size() {
    return size;
  }

  /**
   * Whether the list is empty.
   *
   * @return size == 0
   */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * The value at a position.
   *
   * @param i position
   * @return value
   */
  public long get(int i) {
    if (i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return items[i];
  }

  /** Removes every value. */
  public void clear() {
    size = 0;
    if (items.length > (1 << 16)) {
      items = new long[16];
    }
  }

  /**
   * The distinct values in ascending order.
   *
   * @return a new array
   */
  public long[] sortedDistinct() {
    long[] a = Arrays.copyOf(items, size);
    Arrays.sort(a);
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (i == 0 || a[i] != a[i - 1]) {
        a[n++] = a[i];
      }
    }
    return Arrays.copyOf(a, n);
  }
}
