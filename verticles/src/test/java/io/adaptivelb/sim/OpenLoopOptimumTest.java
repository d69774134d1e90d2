package io.adaptivelb.sim;

import io.adaptivelb.report.Optimum;
import io.adaptivelb.report.Scenario;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopOptimumTest {

  @Test
  void anMm1BackendAloneHasTheTextbookLatency() {
    // M/M/1, 10 ms, 50 req/s: rho 0.5, latency s / (1 - rho) = 20 ms
    Scenario.Profile p = new Scenario.Profile(0, 10, 1, 0, 1);
    assertEquals(20, Optimum.leastMeanLatencyMs(List.of(p), 50, 1000), 1e-6);
  }

  @Test
  void twoEqualBackendsShareEqually() {
    Scenario.Profile p = new Scenario.Profile(0, 10, 1, 0, 1);
    double[] split = Optimum.openLoopSplit(List.of(p, p), 100, 1000);
    assertEquals(50, split[0], 1e-3);
    assertEquals(50, split[1], 1e-3);
  }

  @Test
  void aSlowUnboundedBackendTakesOnlyWhatTheFastOneWouldQueueTooLongFor() {
    Scenario.Profile fast = new Scenario.Profile(0, 10, 1, 0, 1);
    Scenario.Profile slow = new Scenario.Profile(0, 100, 0, 0, 1);
    double[] light = Optimum.openLoopSplit(List.of(fast, slow), 20, 1000);
    assertEquals(0, light[1], 1e-6); // marginal cost at 20 req/s, 10 / (1 - 0.2)^2 = 15.6 ms: far below 100
    double[] heavy = Optimum.openLoopSplit(List.of(fast, slow), 150, 1000);
    // fast stops where 10 / (1 - rho)^2 = 100: rho = 1 - 1/sqrt(10), 68.4 req/s
    assertEquals(100 * (1 - 1 / Math.sqrt(10)), heavy[0], 0.01);
    assertTrue(heavy[1] > 80);
  }

  @Test
  void moreThanEveryCapacityHasNoSplit() {
    assertNull(Optimum.openLoopSplit(List.of(new Scenario.Profile(0, 10, 1, 0, 1)), 100, 1000));
  }
}
