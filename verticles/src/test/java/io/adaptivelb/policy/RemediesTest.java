package io.adaptivelb.policy;

import io.adaptivelb.common.FakeClock;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each named fix for the proposal's pathologies, against the pathology it fixes. */
class RemediesTest {

  private final FakeClock clock = new FakeClock();


  @Test
  void tryUnsampledEndsSmaColdStartStarvation() {
    SmaPolicy faithful = SmaPolicyTest.sma(3, 3);
    assertEquals(2, Sequential.run(faithful, 100, 90, 10, 20)[1]); // starved at 2 samples
    SmaPolicy fixed = new SmaPolicy(3, 3, 1000, new Remedies(0, 0, true), clock, new SplittableRandom(1));
    int[] counts = Sequential.run(fixed, 100, 90, 10, 20);
    assertTrue(counts[1] > 80, "fastest backend should win once every window filled: " + counts[1]);
  }

  @Test
  void forgetAfterMsRetriesABackendThatWasSlowOnce() {
    EwmaPolicy ewma = new EwmaPolicy(2, 0.5, 1000, new Remedies(0, 5_000, false), clock, new SplittableRandom(1));
    ewma.observe(0, 300, false); // a had a bad moment
    ewma.observe(1, 50, false);
    assertEquals(1, ewma.pick(Eligibility.all(2)));
    ewma.end(1, 50, false);
    clock.advanceMs(6_000);
    ewma.observe(1, 50, false); // b stays fresh; a's sample is now too old and is forgotten
    assertEquals(0, ewma.pick(Eligibility.all(2)));
  }

  @Test
  void exploreSamplesEveryBackendNowAndThen() {
    SmaPolicy sma = new SmaPolicy(3, 3, 1000, new Remedies(0.1, 0, false), clock, new SplittableRandom(42));
    int[] counts = Sequential.run(sma, 2000, 90, 10, 20);
    assertTrue(counts[1] > 0 && counts[2] > 0, counts[1] + " " + counts[2]);
  }
}
