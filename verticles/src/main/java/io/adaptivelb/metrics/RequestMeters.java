package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus meters fed from latency records: {@code lb_requests_total{backend,group,status}} and
 * {@code lb_upstream_latency_seconds{backend,group}} (histogram buckets, so any quantile can be queried),
 * {@code group} being the upstream group the request was routed to. Each backend's meters are found with
 * one map lookup per record and created on its first record (and again should it move to another group).
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
    if (m == null || !m.group.equals(r.group())) {
      m = new BackendMeters(r.group());
      byBackend.put(r.backend(), m);
    }
    int statusClass = Math.max(0, Math.min(5, r.status() / 100));
    Counter counter = m.byClass[statusClass];
    if (counter == null) {
      counter = Counter.builder("lb.requests")
        .description("Requests forwarded, by backend, upstream group and status class")
        .tag("backend", r.backend()).tag("group", r.group()).tag("status", STATUS_CLASSES[statusClass]).register(registry);
      m.byClass[statusClass] = counter;
    }
    counter.increment();
    if (m.latency == null) {
      m.latency = Timer.builder("lb.upstream.latency")
        .description("Time from dispatch to the backend's response headers")
        .tag("backend", r.backend()).tag("group", r.group()).publishPercentileHistogram().register(registry);
    }
    m.latency.record(Math.round(r.upstreamMs() * 1000), TimeUnit.MICROSECONDS);
  }

  private static final class BackendMeters {
    final String group;
    final Counter[] byClass = new Counter[STATUS_CLASSES.length];
    Timer latency;

    BackendMeters(String group) {
      this.group = group;
    }
  }
}
