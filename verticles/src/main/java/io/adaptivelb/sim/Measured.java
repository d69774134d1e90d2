package io.adaptivelb.sim;

import io.adaptivelb.policy.RoutingPolicy;

import java.util.Arrays;

/** Every request answered inside the measured window: when, by which backend, how long, whether it failed. */
final class Measured {

  private final int backends;
  private final Columns columns = new Columns(1 << 16);
  private final Columns.Column<float[]> atMs = columns.add(float[].class);
  private final Columns.Column<int[]> backend = columns.add(int[].class);
  private final Columns.Column<float[]> latencyMs = columns.add(float[].class);
  private final Columns.Column<boolean[]> failed = columns.add(boolean[].class);
  private int count;

  Measured(int backends) {
    this.backends = backends;
  }

  void add(double sinceStartMs, int b, double ms, boolean f) {
    columns.fit(count);
    atMs.values[count] = (float) sinceStartMs;
    backend.values[count] = b;
    latencyMs.values[count] = (float) ms;
    failed.values[count] = f;
    count++;
  }

  long count() {
    return count;
  }

  Result result(Setup setup, double windowStartMs, double windowEndMs, RoutingPolicy sample) {
    int[] backend = this.backend.values;
    float[] latencyMs = this.latencyMs.values;
    boolean[] failed = this.failed.values;
    long[] perBackend = new long[backends];
    long errors = 0;
    double sum = 0;
    double cost = 0;
    for (int i = 0; i < count; i++) {
      perBackend[backend[i]]++;
      if (failed[i]) {
        errors++;
      }
      sum += latencyMs[i];
      cost += failed[i] ? Math.max(latencyMs[i], Grade.FAILURE_MS) : latencyMs[i];
    }
    float[] sorted = Arrays.copyOf(latencyMs, count);
    Arrays.sort(sorted);
    double windowSec = Math.max(1e-9, (windowEndMs - windowStartMs) / 1000);
    return new Result(setup, sample.name(), windowStartMs / 1000, windowSec, count, errors,
      count == 0 ? Double.NaN : sum / count, count == 0 ? Double.NaN : cost / count,
      quantile(sorted, 0.5), quantile(sorted, 0.95), quantile(sorted, 0.99), perBackend,
      new Result.Trace(Arrays.copyOf(atMs.values, count), Arrays.copyOf(backend, count), Arrays.copyOf(latencyMs, count)));
  }

  private static double quantile(float[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}
