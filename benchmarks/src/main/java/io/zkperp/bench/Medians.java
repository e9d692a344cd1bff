package io.zkperp.bench;

import java.util.Arrays;
import java.util.Collection;

/** Median of measured samples; reports use medians, not means, on a shared noisy machine. */
final class Medians {
  private Medians() {}

  static double of(Collection<Double> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    double[] s = new double[samples.size()];
    int i = 0;
    for (double x : samples) {
      s[i++] = x;
    }
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
