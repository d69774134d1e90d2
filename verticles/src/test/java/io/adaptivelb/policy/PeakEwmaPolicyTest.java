package io.adaptivelb.policy;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PeakEwmaPolicyTest {

  private final FakeClock clock = new FakeClock();

  private PeakEwmaPolicy policy(int size) {
    return new PeakEwmaPolicy(size, 10_000, 30, 1000, clock, new SplittableRandom(5));
  }

  @Test
  void aBackendWithNoHistoryCostsTheDefaultRtt() {
    PeakEwmaPolicy p = policy(2);
    assertEquals(30.0, p.cost(0, clock.nanoTime()), 1e-9);
  }

  @Test
  void aHigherSampleReplacesTheEstimateAtOnce() {
    PeakEwmaPolicy p = policy(1);
    p.observe(0, 10, false);
    clock.advanceMs(1);
    p.observe(0, 500, false);
    assertEquals(500.0, p.estimate(0, clock.nanoTime()), 1e-9);
  }

  @Test
  void lowerSamplesPullTheEstimateDownWithTimeConstantTau() {
    PeakEwmaPolicy p = policy(1);
    p.observe(0, 100, false);
    clock.advanceMs(10_000); // one tau
    p.observe(0, 10, false);
    double w = Math.exp(-1);
    assertEquals(100 * w + 10 * (1 - w), p.estimate(0, clock.nanoTime()), 1e-9);
  }

  @Test
  void anIdleBackendsEstimateDecaysSoItIsTriedAgain() {
    PeakEwmaPolicy p = policy(1);
    p.observe(0, 400, false);
    clock.advanceMs(20_000); // two tau
    assertEquals(400 * Math.exp(-2), p.estimate(0, clock.nanoTime()), 1e-9);
  }

  @Test
  void costIsTheEstimateTimesRequestsInFlightPlusOne() {
    PeakEwmaPolicy p = policy(2);
    p.observe(0, 10, false);
    p.observe(1, 25, false);
    p.begin(0);
    p.begin(0);
    p.begin(0); // 10 × 4 = 40 > 25 × 1
    assertEquals(40.0, p.cost(0, clock.nanoTime()), 1e-9);
    assertEquals(1, p.pick(Eligibility.all(2)));
  }

  @Test
  void aFailureIsAPeakOfAtLeastThePenalty() {
    PeakEwmaPolicy p = policy(1);
    p.observe(0, 5, false);
    p.observe(0, 2, true);
    assertEquals(1000.0, p.estimate(0, clock.nanoTime()), 1e-9);
  }
}
