package io.adaptivelb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.adaptivelb.config.LabConfig;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettlingTest {

  private static final JsonObject SHIFT = new JsonObject("""
      {"roles": ["backends"], "backends": [
        {"name": "b1", "port": 0, "latency": {"dist": "constant", "ms": 10}, "phases": [{"atSec": 60, "latency": {"dist": "constant", "ms": 150}}]},
        {"name": "b2", "port": 0, "latency": {"dist": "constant", "ms": 50}},
        {"name": "b3", "port": 0, "latency": {"dist": "constant", "ms": 100}}]}
      """);

  @Test
  void aBackendWithMoreThanHalfTheRequestsIsWhereTheRunSettled() {
    assertEquals("b2", Settling.majority(Map.of("b1", 10L, "b2", 51L, "b3", 39L)));
  }

  @Test
  void anEvenSplitSettlesNowhere() {
    assertEquals("", Settling.majority(Map.of("b1", 34L, "b2", 33L, "b3", 33L)));
    assertEquals("", Settling.majority(Map.of("b1", 50L, "b2", 50L)));
    assertEquals("", Settling.majority(Map.of()));
  }

  @Test
  void theFastestBackendFollowsThePhases() {
    Scenario s = Scenario.of(LabConfig.parse(SHIFT));
    assertEquals("b1", Settling.fastest(s, 59));
    assertEquals("b2", Settling.fastest(s, 61));
  }

  @Test
  void twoEquallyFastBackendsHaveNoFastest() {
    Scenario s = Scenario.of(LabConfig.parse(new JsonObject("""
        {"roles": ["backends"], "backends": [{"name": "b1", "port": 0, "latency": {"dist": "constant", "ms": 5}},
                      {"name": "b2", "port": 0, "latency": {"dist": "constant", "ms": 5}}]}
        """)));
    assertEquals("", Settling.fastest(s, 0));
  }

  @Test
  void theTailIsTheWindowsLastQuarter() {
    assertEquals(1_075_000L, Settling.tailFromMs(1_000_000L, 1_100_000L));
  }

  @Test
  void aRunSettledOnASlowerBackendIsCountedAsSettledElsewhere() {
    RunMeta meta = new RunMeta(null, 1, 1, "spread", "lab", "persistent", "ewma", "x", null, 0, 0, 1, 100);
    ResultRow off = new ResultRow(meta, null, LatencySummary.EMPTY, 0, Map.of(), "proxy_log", Double.NaN, "b3", "b1");
    ResultRow on = new ResultRow(meta, null, LatencySummary.EMPTY, 0, Map.of(), "proxy_log", Double.NaN, "b1", "b1");
    ResultRow split = new ResultRow(meta, null, LatencySummary.EMPTY, 0, Map.of(), "proxy_log", Double.NaN, "", "b1");
    assertEquals(true, off.settledElsewhere());
    assertEquals(false, on.settledElsewhere());
    assertEquals(false, split.settledElsewhere());
  }
}
