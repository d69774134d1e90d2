package io.adaptivelb.report;

import java.util.Arrays;

/**
 * Exact percentiles by sorting. A configuration logs at most a few hundred thousand rows, so sorting
 * is cheap and avoids a histogram's bucket rounding in figures we compare across proxies.
 */
public final class Percentiles {

  private final double[] sorted;

  private Percentiles(double[] sorted) {
    this.sorted = sorted;
  }

  public static Percentiles of(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  public int count() {
    return sorted.length;
  }

  /**
   * Nearest rank: the smallest value with at least {@code p}% of the values at or below it. It is always
   * an observed latency (no interpolation), the definition wrk and HdrHistogram use too. NaN when empty.
   */
  public double at(double p) {
    if (p < 0 || p > 100) {
      throw new IllegalArgumentException("percentile out of [0, 100]: " + p);
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  public double mean() {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    return sum / sorted.length;
  }

  /** count, mean, p50, p95, p99 in one value. */
  public LatencySummary summary() {
    return new LatencySummary(count(), mean(), at(50), at(95), at(99));
  }
}
