package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RollingStatsTest {

  private static final long T0 = 1_795_689_779_000L;

  @Test
  void backendsCountTheirTriesAndTheTotalsCountRequests() {
    RollingStats stats = new RollingStats(10, T0 / 1000);
    stats.add(record("b1", 10, 12, false, false));
    stats.add(record("b1", 20, 22, false, false));
    stats.add(record("b2", 30, 35, true, true));   // a failed try, retried elsewhere
    stats.add(record("b1", 40, 80, false, false));  // ...that request's outcome
    stats.add(record(RollingStats.NO_BACKEND, 0, 1, true, false));

    long now = T0 / 1000;
    List<String> names = new ArrayList<>();
    stats.backends().forEach(names::add);
    assertEquals(List.of("b1", "b2"), names);
    assertEquals(3, stats.backend("b1", now).count());
    assertEquals(70 / 3.0, stats.backend("b1", now).meanMs(), 1e-9);
    assertEquals(1, stats.backend("b2", now).errors());
    assertEquals(3, stats.lifetime("b1"));
    assertEquals(1, stats.lifetime("b2"));
    assertEquals(0, stats.lifetime("b9"));
    assertEquals(0, stats.backend("b9", now).count());
    assertEquals(4, stats.overall(now).count()); // the retried try is not a request of its own
    assertEquals(4, stats.overallLifetime());
    assertEquals(1, stats.overall(now).errors());

    stats.reset(now);
    assertEquals(0, stats.lifetime("b1"));
    assertEquals(0, stats.overallLifetime());
    assertEquals(0, stats.backend("b1", now).count());
  }

  @Test
  void samplesAgeOutOfTheWindowButNotOutOfTheLifetime() {
    RollingStats stats = new RollingStats(10, T0 / 1000);
    stats.add(record("b1", 5, 5, false, false));
    long later = T0 / 1000 + 10;
    assertEquals(0, stats.backend("b1", later).count());
    assertEquals(1, stats.lifetime("b1"));
  }

  @Test
  void eachGroupCountsItsOwnRequests() {
    RollingStats stats = new RollingStats(10, T0 / 1000);
    stats.add(record("b1", 10, 12, false, false));
    stats.add(inGroup("a1", 30, 35, true, true, "api"));   // a failed try of an api request...
    stats.add(inGroup("a2", 40, 80, false, false, "api")); // ...and that request's outcome
    stats.add(inGroup(RollingStats.NO_BACKEND, 0, 1, true, false, "api"));

    long now = T0 / 1000;
    List<String> groups = new ArrayList<>();
    stats.groups().forEach(groups::add);
    assertEquals(List.of("api", "default"), groups);
    assertEquals(2, stats.group("api", now).count(), "requests, not tries");
    assertEquals(1, stats.group("api", now).errors());
    assertEquals((80 + 1) / 2.0, stats.group("api", now).meanMs(), 1e-9, "the latency clients saw");
    assertEquals(2, stats.groupLifetime("api"));
    assertEquals(1, stats.group("default", now).count());
    assertEquals(0, stats.group("nope", now).count());
    assertEquals("api", stats.groupOf("a1"));
    assertEquals("default", stats.groupOf("b1"));
    assertEquals(null, stats.groupOf("b9"));
    stats.reset(now);
    assertEquals(0, stats.groupLifetime("api"));
  }

  private static LatencyRecord inGroup(String backend, double upstreamMs, double totalMs, boolean failed, boolean retried,
                                       String group) {
    return new LatencyRecord(T0, "id", "GET", "/", backend, failed ? 502 : 200, upstreamMs, totalMs, 0, "sma",
      "persistent", failed, 1, retried, 1, group, 0);
  }

  @Test
  void aTunnelCountsWithItsHandshakeNotItsLifetime() {
    RollingStats stats = new RollingStats(10, T0 / 1000);
    stats.add(record("b1", 10, 12, false, false));
    stats.add(new LatencyRecord(T0, "ws", "GET", "/chat", "b1", LatencyRecord.SWITCHED, 14, 3_600_000, 5000, "sma",
      "persistent", false, 1, false, 1, LatencyRecord.DEFAULT_GROUP, 700));
    long now = T0 / 1000;
    assertEquals(2, stats.overall(now).count());
    assertEquals(13, stats.overall(now).meanMs(), 1e-9); // 12 and the handshake's 14; an hour would swamp it
    assertEquals(12, stats.backend("b1", now).meanMs(), 1e-9);
  }

  private static LatencyRecord record(String backend, double upstreamMs, double totalMs, boolean failed, boolean retried) {
    return new LatencyRecord(T0, "id", "GET", "/", backend, failed ? 502 : 200, upstreamMs, totalMs, 0, "sma",
      "persistent", failed, 1, retried, 1);
  }
}
