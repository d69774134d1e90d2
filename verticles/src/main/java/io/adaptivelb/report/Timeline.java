package io.adaptivelb.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Per-second buckets of a run (seconds since wrk started), to show latency and routing changing over
 * time, e.g. how fast a policy leaves a backend that became slow in {@code shift}.
 */
public final class Timeline implements Consumer<ProxyLog.Row> {

  /** One second: requests that arrived in it, their total_ms p50/p95, and how many each backend took. */
  public record Bucket(int second, long count, double p50, double p95, Map<String, Long> perBackend) {
  }

  private final long startMs;
  private final TreeMap<Integer, DoubleBuffer> latencies = new TreeMap<>();
  private final TreeMap<Integer, Map<String, Long>> backends = new TreeMap<>();

  public Timeline(long startMs) {
    this.startMs = startMs;
  }

  @Override
  public void accept(ProxyLog.Row row) {
    int second = (int) Math.floorDiv(row.tsMs() - startMs, 1000L);
    latencies.computeIfAbsent(second, s -> new DoubleBuffer()).add(row.totalMs());
    backends.computeIfAbsent(second, s -> new TreeMap<>()).merge(row.backend(), 1L, Long::sum);
  }

  public List<Bucket> buckets() {
    List<Bucket> out = new ArrayList<>();
    latencies.forEach((second, values) -> {
      Percentiles p = Percentiles.of(values.toArray());
      out.add(new Bucket(second, p.count(), p.at(50), p.at(95), backends.get(second)));
    });
    return out;
  }
}
