package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the metrics role spends per latency record (the target: telemetry on costs at most 5% of the
 * proxy's req/s): the CSV row (including its share of the 64 KiB flush copy), the rolling stats and the Prometheus meters. Records
 * look like the perf.sh load: path "/", three backends, sub-millisecond latencies. Run with
 * {@code java -cp ... io.adaptivelb.metrics.MetricsBenchmark} (classpath as in loadtest/jmh.sh).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {

  private static final int FLUSH_BYTES = 64 * 1024;

  private LatencyRecord[] records;
  private int tick;
  private CsvBytes bytes;
  private RollingStats stats;
  private RequestMeters meters;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(4);
    records = new LatencyRecord[1024];
    long ts = 1_795_689_779_658L;
    for (int i = 0; i < records.length; i++) {
      double up = 0.3 + random.nextDouble();
      records[i] = new LatencyRecord(ts + i / 50, "2805-1-" + Long.toHexString(0x1000 + i), "GET", "/", "b" + (1 + i % 3),
        200, up, up + 0.2, 64, "round-robin", "persistent", false, 1, false, 1 + i % 4);
    }
    bytes = new CsvBytes(FLUSH_BYTES + 4096);
    stats = new RollingStats(10, ts / 1000);
    meters = new RequestMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  private LatencyRecord next() {
    return records[tick++ & 1023];
  }

  @Benchmark
  public Object csvBytes() {
    CsvFormat.append(bytes, next());
    if (bytes.length() >= FLUSH_BYTES) {
      Buffer chunk = Buffer.buffer(bytes.length()).appendBytes(bytes.array(), 0, bytes.length());
      bytes.clear();
      return chunk;
    }
    return null;
  }

  @Benchmark
  public void rollingStats() {
    stats.add(next());
  }

  @Benchmark
  public void requestMeters() {
    meters.record(next());
  }

  public static void main(String[] args) throws Exception {
    org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[]{MetricsBenchmark.class.getSimpleName()});
  }
}
