package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus meters fed from latency records: {@code lb_requests_total{backend,status}} and
 * {@code lb_upstream_latency_seconds{backend}} (histogram buckets, so any quantile can be queried).
 * Meters are cached so a record costs two map lookups, not a registry search.
 */
final class RequestMeters {

  private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterRegistry registry;
  private final Map<String, Counter[]> counters = new HashMap<>();
  private final Map<String, Timer> timers = new HashMap<>();

  RequestMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(LatencyRecord r) {
    int statusClass = Math.max(0, Math.min(5, r.status() / 100));
    Counter[] byClass = counters.computeIfAbsent(r.backend(), k -> new Counter[STATUS_CLASSES.length]);
    if (byClass[statusClass] == null) {
      byClass[statusClass] = Counter.builder("lb.requests")
        .description("Requests forwarded, by backend and status class")
        .tag("backend", r.backend()).tag("status", STATUS_CLASSES[statusClass]).register(registry);
    }
    byClass[statusClass].increment();
    timers.computeIfAbsent(r.backend(), k -> Timer.builder("lb.upstream.latency")
        .description("Time from dispatch to the backend's response headers")
        .tag("backend", r.backend()).publishPercentileHistogram().register(registry))
      .record(Math.round(r.upstreamMs() * 1000), TimeUnit.MICROSECONDS);
  }
}
