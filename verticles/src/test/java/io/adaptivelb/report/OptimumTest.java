package io.adaptivelb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaptivelb.config.LabConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimumTest {

  /** A backends-only lab config, read as the report reads one. */
  private static Scenario scenario(String labConfig) {
    return Scenario.of(LabConfig.parse(new JsonObject(labConfig)));
  }

  private static Scenario.Profile p(double meanMs, int capacity) {
    return new Scenario.Profile(0, meanMs, capacity, 0);
  }

  @Test
  void pureDelayPutsEveryConnectionOnTheFastest() {
    // 100 connections on a 10 ms backend: 100 / 0.01 s.
    assertEquals(10_000, Optimum.rate(List.of(p(50, 0), p(10, 0), p(100, 0)), 100), 1e-9);
  }

  @Test
  void boundedCapacityIsTheSumOfCapacityOverServiceTime() {
    // The example: 8/0.01 + 8/0.05 + 8/0.1 = 800 + 160 + 80 = 1040 req/s.
    assertEquals(1040, Optimum.rate(List.of(p(10, 8), p(50, 8), p(100, 8)), 100), 1e-9);
  }

  @Test
  void fewConnectionsFillTheFastestFirst() {
    // 10 connections: 8 on b1 (800/s), 2 on b2 (40/s), none left for b3.
    assertEquals(840, Optimum.rate(List.of(p(100, 8), p(50, 8), p(10, 8)), 10), 1e-9);
  }

  @Test
  void aFailureHoldsItsConnectionForThePenalty() {
    Scenario.Profile failingFast = new Scenario.Profile(0, 10, 4, 0.5);
    // Failures costing only their time, 4 connections on the failing 10 ms backend yield 4 x 0.5 / 0.01 = 200/s,
    // more than the 100 ms one's 40/s.
    assertEquals(200 + 6 * 10, Optimum.rate(List.of(p(100, 0), failingFast), 10), 1e-9);
    // Each failure holding its connection for 1 s: 0.5 / (0.5 x 10 + 0.5 x 1000 ms) = 0.99/s per connection,
    // less than the 100 ms backend's 10/s, so every connection goes there.
    assertEquals(100, Optimum.rate(List.of(p(100, 0), failingFast), 10, 1000), 1e-9);
  }

  @Test
  void aBackendThatFailsSometimesStillBeatsQueueingBehindAFullOne() {
    // 8 connections fill the healthy 10 ms backend (800/s); the other 2 add 2 x 0.9 / (0.9 x 10 + 0.1 x 1000 ms).
    Scenario.Profile failingSometimes = new Scenario.Profile(0, 10, 0, 0.1);
    assertEquals(800 + 2 * 0.9 / 0.109, Optimum.rate(List.of(p(10, 8), failingSometimes), 10, 1000), 1e-9);
  }

  @Test
  void aZeroLatencyBackendHasNoFiniteBound() {
    assertTrue(Double.isInfinite(Optimum.rate(List.of(p(0, 0)), 100)));
  }

  @Test
  void phasesAreWeightedByTheirTimeInTheWindow() {
    // b1 is 10 ms until 40 s, then 150 ms; b2 is 50 ms throughout. Window 0..120 s:
    // a third at 100/0.01 = 10000/s, two thirds at 100/0.05 = 2000/s: mean 14000/3.
    Scenario s = scenario("""
        {"roles": ["backends"], "backends": [
          {"name": "b1", "port": 0, "latency": {"dist": "constant", "ms": 10},
           "phases": [{"atSec": 40, "latency": {"dist": "constant", "ms": 150}}]},
          {"name": "b2", "port": 0, "latency": {"dist": "constant", "ms": 50}}]}""");
    assertEquals(14000.0 / 3, Optimum.meanRate(s, 100, 0, 120), 1e-9);
    // A window entirely after the change sees only the second phase.
    assertEquals(2000, Optimum.meanRate(s, 100, 50, 60), 1e-9);
    // An offset window: 4..19 s with the change at 9 s: 5 s at 10000/s, 10 s at 2000/s.
    Scenario early = scenario("""
        {"roles": ["backends"], "backends": [
          {"name": "b1", "port": 0, "latency": {"dist": "constant", "ms": 10},
           "phases": [{"atSec": 9, "latency": {"dist": "constant", "ms": 150}}]},
          {"name": "b2", "port": 0, "latency": {"dist": "constant", "ms": 50}}]}""");
    assertEquals((5 * 10000 + 10 * 2000) / 15.0, Optimum.meanRate(early, 100, 4, 19), 1e-9);
  }

  @Test
  void phaseFieldsThatAreAbsentKeepTheirValue() {
    Scenario s = scenario("""
        {"roles": ["backends"], "backends": [{"name": "b1", "port": 0, "latency": {"dist": "constant", "ms": 10}, "capacity": 4,
          "phases": [{"atSec": 5, "errorRate": 0.5}]}]}""");
    Scenario.Profile later = s.backends().get(0).at(6);
    assertEquals(10, later.meanMs());
    assertEquals(4, later.capacity());
    assertEquals(0.5, later.errorRate());
    assertEquals(0, s.backends().get(0).at(4.9).errorRate());
    assertTrue(s.anyErrors());
  }
}
