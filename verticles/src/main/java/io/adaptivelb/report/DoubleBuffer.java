package io.adaptivelb.report;

import java.util.Arrays;

/** A growable double[]: a full-length run logs about a million latencies, too many to box. */
final class DoubleBuffer {

  private double[] values = new double[1024];
  private int size;

  void add(double v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  double[] toArray() {
    return Arrays.copyOf(values, size);
  }

  int size() {
    return size;
  }
}
