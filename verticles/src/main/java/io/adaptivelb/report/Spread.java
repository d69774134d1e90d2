package io.adaptivelb.report;

import java.util.Arrays;
import java.util.List;

/**
 * Median with min and max over repetitions. These 2-core machines are noisy, so a single run is not
 * quoted: the median resists one outlier and min–max shows how much to trust it.
 */
public record Spread(double median, double min, double max, int n) {

  /** NaN values (a figure a repetition could not measure) are left out; all NaN gives a NaN spread. */
  public static Spread of(List<Double> values) {
    double[] v = values.stream().filter(d -> d != null && !d.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    int mid = v.length / 2;
    // Even count: the mean of the two middle values, the usual definition, so 2 repetitions give their mean.
    double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    return new Spread(median, v[0], v[v.length - 1], v.length);
  }

  public static Spread of(double... values) {
    return of(Arrays.stream(values).boxed().toList());
  }
}
