package io.adaptivelb.policy;

import io.adaptivelb.common.FakeClock;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void uniformDrawsCapTheBestOfThreeAtTwoThirdsWhileWeightedDrawsDoNot() {
    // b1 is always the cheapest (nothing stays in flight), yet uniform P2C draws the pair (b2, b3)
    // a third of the time; weighted draws it about 2.7% of the time (weights 1/10, 1/50, 1/100).
    int[] uniform = Sequential.run(policy(3), 30_000, 10, 50, 100);
    int[] weighted = Sequential.run(new PeakEwmaPolicy(3, 10_000, 30, 1000, true, clock, new SplittableRandom(5)),
      30_000, 10, 50, 100);
    assertEquals(2.0 / 3, uniform[0] / 30_000.0, 0.01);
    assertEquals(1 - 0.0268, weighted[0] / 30_000.0, 0.005);
  }

  @Test
  void weightedDrawsAreInProportionToTheInverseEstimate() {
    PeakEwmaPolicy p = new PeakEwmaPolicy(2, 10_000, 30, 1000, true, clock, new SplittableRandom(5));
    p.observe(0, 10, false);
    p.observe(1, 40, false);
    assertEquals(0.1, p.weight(0, clock.nanoTime()), 1e-12);
    assertEquals(0.025, p.weight(1, clock.nanoTime()), 1e-12);
  }

  @Test
  void weightedDrawsOnlyChooseEligibleBackends() {
    PeakEwmaPolicy p = new PeakEwmaPolicy(3, 10_000, 30, 1000, true, clock, new SplittableRandom(5));
    p.observe(0, 1, false); // by far the heaviest weight, but excluded
    p.observe(1, 50, false);
    p.observe(2, 100, false);
    Eligibility notFirst = Eligibility.where(3, backend -> backend != 0);
    for (int i = 0; i < 1000; i++) {
      int pick = p.pick(notFirst);
      assertTrue(pick == 1 || pick == 2, "picked " + pick);
    }
    Eligibility onlyLast = Eligibility.where(3, backend -> backend == 2);
    assertEquals(2, p.pick(onlyLast));
  }

  @Test
  void aBackendAddedLaterIsDrawnWithTheDefaultRtt() {
    PeakEwmaPolicy p = new PeakEwmaPolicy(1, 10_000, 30, 1000, true, clock, new SplittableRandom(5));
    p.observe(0, 10, false);
    p.grow(2);
    assertEquals(1 / 30.0, p.weight(1, clock.nanoTime()), 1e-12);
    p.begin(0);
    p.begin(0);
    p.begin(0); // 10 × 4 = 40 > 30 × 1: the new slot is drawn and wins
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
