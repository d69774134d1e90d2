package io.adaptivelb.policy;

import java.util.Arrays;

/**
 * One latency estimate per backend, with none until that backend's first sample: a backend added
 * later, or one whose history was forgotten, starts with none again. The policy says what "none"
 * scores (0 to try it at once, a default round trip, ...).
 */
final class Estimates {

  /** NaN: no estimate yet. */
  private double[] ms;

  Estimates(int size) {
    ms = new double[size];
    Arrays.fill(ms, Double.NaN);
  }

  boolean known(int backend) {
    return !Double.isNaN(ms[backend]);
  }

  /** The estimate; only meaningful when {@link #known}. */
  double ms(int backend) {
    return ms[backend];
  }

  void set(int backend, double estimateMs) {
    ms[backend] = estimateMs;
  }

  void forget(int backend) {
    ms[backend] = Double.NaN;
  }

  /** Room for {@code newSize} backends; the new ones have no estimate. */
  void resize(int newSize) {
    int old = ms.length;
    ms = Arrays.copyOf(ms, newSize);
    Arrays.fill(ms, old, newSize, Double.NaN);
  }
}
