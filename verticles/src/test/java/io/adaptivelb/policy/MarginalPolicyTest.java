package io.adaptivelb.policy;

import io.adaptivelb.common.FakeClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarginalPolicyTest {

  private final FakeClock clock = new FakeClock();

  private MarginalPolicy policy(int size) {
    return new MarginalPolicy(size, 0.3, 2_000, 0, 1000, clock);
  }

  @Test
  void withoutQueueingTheFastestBackendTakesEverything() {
    int[] counts = Sequential.run(policy(3), 300, 10, 50, 100);
    assertTrue(counts[0] >= 297, "fast backend got " + counts[0]);
  }

  @Test
  void aQueueCostsItsLatencyTimesTheSquaredSlowdown() {
    MarginalPolicy p = policy(2);
    for (int i = 0; i < 60; i++) { // enough samples that the estimates' standard errors are negligible
      p.end(0, 1, 10, false); // unqueued: 10 ms
      p.observe(0, 5, 40, false); // at five in flight it took 40 ms: slowdown 4
    }
    for (int i = 0; i < 4; i++) {
      p.begin(0); // four in flight: the next one falls in band 5-8
    }
    assertEquals(640, p.score(0, clock.nanoTime()), 0.1);
  }

  @Test
  void noiseIsNotTakenForAQueue() {
    MarginalPolicy p = policy(2);
    for (int i = 0; i < 60; i++) { // the same spread-out latencies idle and under load: a pure delay
      double ms = i % 2 == 0 ? 5 : 15;
      p.end(0, 1, ms, false);
      p.observe(0, 5, 20 - ms, false);
    }
    for (int i = 0; i < 4; i++) {
      p.begin(0);
    }
    // The least band estimate reads below the other by noise alone; the cost stays the prediction.
    assertEquals(p.predict(0, clock.nanoTime()), p.score(0, clock.nanoTime()), 1e-9);
  }

  @Test
  void anUnmeasuredBackendGetsOneRequestAtATime() {
    MarginalPolicy p = policy(2);
    p.end(1, 1, 20, false);
    assertEquals(0, p.pick(Eligibility.all(2))); // never measured: tried at once
    p.begin(0);
    assertEquals(1, p.pick(Eligibility.all(2))); // and not again until it answers
  }

  @Test
  void aFastBackendWithAQueueLosesToAnIdleSlowerOneLongBeforeTheirLatenciesMeet() {
    MarginalPolicy p = policy(2);
    for (int i = 0; i < 60; i++) {
      p.end(0, 1, 10, false);
      p.end(1, 1, 50, false);
      p.observe(0, 5, 25, false); // 25 ms queued there at five in flight, still half of the slow backend's 50
    }
    for (int i = 0; i < 4; i++) {
      p.begin(0);
    }
    assertEquals(1, p.pick(Eligibility.all(2))); // 25 * 2.5^2 = 156 > 50
  }

  @Test
  void aFailureCountsAsThePenaltyNotAsFast() {
    MarginalPolicy p = policy(2);
    p.end(0, 1, 1, true);
    p.end(1, 1, 20, false);
    assertEquals(1, p.pick(Eligibility.all(2)));
  }

  @Test
  void aBackendJudgedSlowIsTriedAgainOnceItsEstimateHasDecayed() {
    MarginalPolicy p = policy(2);
    p.end(0, 1, 200, false);
    p.end(1, 1, 20, false);
    p.end(1, 1, 20, false);
    assertEquals(1, p.pick(Eligibility.all(2)));
    clock.advanceMs(10_000); // five tau unrefreshed: 200 ms decays to 1.3 ms
    p.end(1, 1, 20, false); // backend 1 refreshed at 20 ms, backend 0 not
    assertEquals(0, p.pick(Eligibility.all(2)));
  }

  @Test
  void aLoadJudgedSlowSettlesTowardTheLoadBelowItAndIsTriedAgain() {
    MarginalPolicy p = new MarginalPolicy(2, 0.3, 10_000, 500, 1000, clock);
    for (int i = 0; i < 60; i++) {
      p.end(0, 1, 10, false); // backend 0 alone: 10 ms
      p.end(1, 1, 30, false);
    }
    p.observe(0, 2, 100, false); // one unlucky sample at two in flight
    p.begin(0);
    assertEquals(100, p.predict(0, clock.nanoTime()), 1e-9);
    assertEquals(1, p.pick(Eligibility.all(2))); // with one in flight there, backend 0 looks slow
    clock.advanceMs(2_500); // five settling times unrefreshed: 10 + 90 e^-5 = 10.6 ms
    p.observe(0, 1, 10, false); // the load below stays fresh
    assertEquals(10 + 90 * Math.exp(-5), p.predict(0, clock.nanoTime()), 1e-6);
    assertEquals(0, p.pick(Eligibility.all(2)));
  }

  @Test
  void withoutSettlingALoadJudgedSlowStaysSlowUntilTheLoadReachesIt() {
    MarginalPolicy p = policy(2);
    for (int i = 0; i < 60; i++) {
      p.end(0, 1, 10, false);
    }
    p.observe(0, 2, 100, false);
    p.begin(0);
    clock.advanceMs(2_500);
    assertEquals(100, p.predict(0, clock.nanoTime()), 1e-9);
  }
}
