package io.adaptivelb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-run figures: wrk's JSON line, counter differences, the proxy log's figures and timeline. */
class RunFiguresTest {

  @Test
  void wrkLineIsFoundAmongWrksOwnOutput() {
    String out = """
        Running 5s test @ http://127.0.0.1:18080/
          4 threads and 100 connections
        Requests/sec:   2000.00
        WRK_JSON {"requests":10000,"duration_us":5000000,"bytes":640000,"errors":{"connect":1,"read":2,"write":0,"status":7,"timeout":3},"latency_us":{"mean":12500.5,"stdev":1.0,"min":100,"max":90000,"p50":11000,"p90":20000,"p95":25000,"p99":40000,"p999":80000}}
        """;
    WrkResult w = WrkResult.fromOutput(out);
    assertEquals(10000, w.requests());
    assertEquals(2000, w.rps(), 1e-9);
    assertEquals(7, w.non2xx());
    assertEquals(6, w.socketErrors());
    assertEquals(12.5005, w.latency().mean(), 1e-9);
    assertEquals(11, w.latency().p50());
    assertEquals(25, w.latency().p95());
    assertEquals(40, w.latency().p99());
    assertThrows(IllegalArgumentException.class, () -> WrkResult.fromOutput("Requests/sec: 1\n"));
  }

  @Test
  void countersAreTheDifferenceOfTwoSnapshots() {
    JsonObject before = new JsonObject("""
        {"backends":[{"name":"b1","server":{"requests":100}},{"name":"b2","server":{"requests":5}},
                     {"name":"b3"}]}""");
    JsonObject after = new JsonObject("""
        {"backends":[{"name":"b1","server":{"requests":160}},{"name":"b2","server":{"requests":25}},
                     {"name":"b3","server":{"requests":20}}]}""");
    Map<String, Long> d = CounterDelta.between(before, after);
    assertEquals(Map.of("b1", 60L, "b2", 20L, "b3", 20L), d);
    assertEquals(0.6, Shares.of(d).get("b1"), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> CounterDelta.between(after, before));
  }

  @Test
  void logFiguresCountBackendsFailuresAndLatency() {
    LogFigures f = new LogFigures();
    f.accept(new ProxyLog.Row(1, "b1", 200, 1, 10));
    f.accept(new ProxyLog.Row(2, "b1", 200, 1, 20));
    f.accept(new ProxyLog.Row(3, "b2", 502, 1, 30));
    f.accept(new ProxyLog.Row(4, "b1", 200, 1, 40));
    f.accept(new ProxyLog.Row(5, "b3", 499, 1, 2)); // abandoned by wrk's stop: in no figure
    assertEquals(Map.of("b1", 3L, "b2", 1L), f.perBackend());
    assertEquals(1, f.notOk());
    assertEquals(1, f.abandoned());
    LatencySummary s = f.totalLatency();
    assertEquals(25, s.mean(), 1e-12);
    assertEquals(20, s.p50());
    assertEquals(40, s.p95());
  }

  @Test
  void timelineBucketsBySecondSinceStart() {
    Timeline t = new Timeline(10_000);
    t.accept(new ProxyLog.Row(10_000, "b1", 200, 1, 5));
    t.accept(new ProxyLog.Row(10_999, "b2", 200, 1, 7));
    t.accept(new ProxyLog.Row(12_500, "b2", 200, 1, 9));
    List<Timeline.Bucket> b = t.buckets();
    assertEquals(2, b.size());
    assertEquals(0, b.get(0).second());
    assertEquals(2, b.get(0).count());
    assertEquals(5, b.get(0).p50());
    assertEquals(7, b.get(0).p95());
    assertEquals(Map.of("b1", 1L, "b2", 1L), b.get(0).perBackend());
    assertEquals(2, b.get(1).second());
  }
}
