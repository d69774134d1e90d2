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
 * Each backend's meters are found with one map lookup per record and created on its first record.
 */
final class RequestMeters {

  private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterRegistry registry;
  private final Map<String, BackendMeters> byBackend = new HashMap<>();

  RequestMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(LatencyRecord r) {
    BackendMeters m = byBackend.get(r.backend());
    if (m == null) {
      m = new BackendMeters();
      byBackend.put(r.backend(), m);
    }
    int statusClass = Math.max(0, Math.min(5, r.status() / 100));
    Counter counter = m.byClass[statusClass];
    if (counter == null) {
      counter = Counter.builder("lb.requests")
        .description("Requests forwarded, by backend and status class")
        .tag("backend", r.backend()).tag("status", STATUS_CLASSES[statusClass]).register(registry);
      m.byClass[statusClass] = counter;
    }
    counter.increment();
    if (m.latency == null) {
      m.latency = Timer.builder("lb.upstream.latency")
        .description("Time from dispatch to the backend's response headers")
        .tag("backend", r.backend()).publishPercentileHistogram().register(registry);
    }
    m.latency.record(Math.round(r.upstreamMs() * 1000), TimeUnit.MICROSECONDS);
  }

  private static final class BackendMeters {
    final Counter[] byClass = new Counter[STATUS_CLASSES.length];
    Timer latency;
  }
}
