package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Prometheus text is what it was when every record looked its meters up through the registry. */
class RequestMetersTest {

  @Test
  void scrapeMatchesMetersRegisteredTheOldWay() {
    SplittableRandom random = new SplittableRandom(3);
    List<LatencyRecord> records = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      int status = new int[]{200, 200, 200, 404, 502, 503, 504, 499, 101, 0, 700, -1}[random.nextInt(12)];
      int backend = random.nextInt(4);
      records.add(new LatencyRecord(i, "id" + i, "GET", "/", new String[]{"b1", "b2", "b3", "-"}[backend],
        status, random.nextDouble() * 200, 1, 0, "sma", "persistent", status >= 500, 1, false, 1, backend == 2 ? "api" : "default", 0));
    }
    PrometheusMeterRegistry actual = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusMeterRegistry expected = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RequestMeters meters = new RequestMeters(actual);
    records.forEach(meters::record);
    records.forEach(r -> oldRecord(expected, r));

    String text = actual.scrape();
    assertEquals(expected.scrape(), text);
    assertTrue(text.contains("lb_requests_total{backend=\"b1\",group=\"default\",status=\"2xx\"}"), text);
    assertTrue(text.contains("lb_requests_total{backend=\"b3\",group=\"api\",status=\"2xx\"}"), text);
    assertTrue(text.contains("lb_upstream_latency_seconds_bucket{backend=\"b2\",group=\"default\",le=\"+Inf\"}"), text);
  }

  /** The per-record lookup RequestMeters used before it kept its own meters per backend. */
  private static void oldRecord(MeterRegistry registry, LatencyRecord r) {
    String[] classes = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};
    int statusClass = Math.max(0, Math.min(5, r.status() / 100));
    Counter.builder("lb.requests").description("Requests forwarded, by backend, upstream group and status class")
      .tag("backend", r.backend()).tag("group", r.group()).tag("status", classes[statusClass]).register(registry).increment();
    Timer.builder("lb.upstream.latency").description("Time from dispatch to the backend's response headers")
      .tag("backend", r.backend()).tag("group", r.group()).publishPercentileHistogram().register(registry)
      .record(Math.round(r.upstreamMs() * 1000), TimeUnit.MICROSECONDS);
  }
}
