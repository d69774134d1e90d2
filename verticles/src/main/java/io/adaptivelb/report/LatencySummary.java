package io.adaptivelb.report;

/** The latency figures quoted for every configuration, in milliseconds. */
public record LatencySummary(long count, double mean, double p50, double p95, double p99) {

  public static final LatencySummary EMPTY = new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
