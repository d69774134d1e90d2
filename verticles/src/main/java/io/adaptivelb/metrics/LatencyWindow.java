package io.adaptivelb.metrics;

import org.HdrHistogram.Histogram;

/**
 * Latencies of the last {@code seconds} seconds in one-second buckets, so old samples fall out
 * as time moves on. Values are recorded in microseconds with HdrHistogram (2 significant digits:
 * percentiles within 1%, a few KiB per bucket).
 */
final class LatencyWindow {

  private static final long MAX_MICROS = 3_600_000_000L;

  private final Bucket[] buckets;

  LatencyWindow(int seconds) {
    buckets = new Bucket[seconds];
    for (int i = 0; i < seconds; i++) {
      buckets[i] = new Bucket();
    }
  }

  void record(long epochSec, double ms, boolean error) {
    Bucket b = buckets[(int) (epochSec % buckets.length)];
    if (b.second != epochSec) {
      b.reset(epochSec);
    }
    b.count++;
    if (error) {
      b.errors++;
    }
    b.sumMs += ms;
    b.histogram.recordValue(Math.max(0, Math.min(MAX_MICROS, Math.round(ms * 1000))));
  }

  /** Everything recorded in the {@code seconds} seconds up to and including {@code nowSec}. */
  Summary summarize(long nowSec) {
    Histogram merged = newHistogram();
    long count = 0;
    long errors = 0;
    double sum = 0;
    for (Bucket b : buckets) {
      if (b.second > nowSec - buckets.length && b.second <= nowSec) {
        count += b.count;
        errors += b.errors;
        sum += b.sumMs;
        merged.add(b.histogram);
      }
    }
    if (count == 0) {
      return new Summary(0, 0, 0, 0, 0, 0);
    }
    return new Summary(count, errors, sum / count,
      merged.getValueAtPercentile(50) / 1000.0,
      merged.getValueAtPercentile(95) / 1000.0,
      merged.getValueAtPercentile(99) / 1000.0);
  }

  void clear() {
    for (Bucket b : buckets) {
      b.reset(-1);
    }
  }

  record Summary(long count, long errors, double meanMs, double p50Ms, double p95Ms, double p99Ms) {
  }

  private static Histogram newHistogram() {
    return new Histogram(MAX_MICROS, 2);
  }

  private static final class Bucket {
    final Histogram histogram = newHistogram();
    long second = -1;
    long count;
    long errors;
    double sumMs;

    void reset(long newSecond) {
      histogram.reset();
      second = newSecond;
      count = 0;
      errors = 0;
      sumMs = 0;
    }
  }
}
