package io.adaptivelb.policy;

import io.adaptivelb.common.FakeClock;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EwmaPolicyTest {

  /** The proposal's ewma: no remedies, so neither the clock nor the random source is consulted. */
  private static EwmaPolicy ewma(int size, double alpha, double failurePenaltyMs) {
    return new EwmaPolicy(size, alpha, failurePenaltyMs, Remedies.NONE, new FakeClock(), new SplittableRandom(1));
  }

  @Test
  void followsTheExponentialAverageFormula() {
    EwmaPolicy ewma = ewma(1, 0.5, 1000);
    ewma.observe(0, 10, false);
    assertEquals(10.0, ewma.score(0), 1e-9); // first sample seeds the average
    ewma.observe(0, 30, false);
    assertEquals(20.0, ewma.score(0), 1e-9);
    ewma.observe(0, 40, false);
    assertEquals(30.0, ewma.score(0), 1e-9);
  }

  @Test
  void anUnsampledBackendIsTriedFirst() {
    EwmaPolicy ewma = ewma(2, 0.3, 1000);
    ewma.observe(0, 1, false);
    assertNull(ewma.describe(1).get("score"));
    assertEquals(1, ewma.pick(Eligibility.all(2)));
  }

  @Test
  void steersAwayFromABackendThatSlowsDownAndBack() {
    EwmaPolicy ewma = ewma(2, 0.5, 1000);
    ewma.observe(0, 10, false);
    ewma.observe(1, 50, false);
    assertEquals(0, ewma.pick(Eligibility.all(2)));
    for (int i = 0; i < 5; i++) {
      ewma.end(0, 200, false); // a became slow
    }
    assertEquals(1, ewma.pick(Eligibility.all(2)));
  }

  @Test
  void aTimeoutCountsAtLeastThePenalty() {
    EwmaPolicy ewma = ewma(2, 1.0, 750);
    ewma.observe(0, 3, true);
    ewma.observe(1, 100, false);
    assertEquals(750.0, ewma.score(0), 1e-9);
    assertEquals(1, ewma.pick(Eligibility.all(2)));
  }
}
