package io.adaptivelb.policy;

import io.adaptivelb.common.FakeClock;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeastLatencyPolicyTest {

  private final FakeClock clock = new FakeClock();

  private LeastLatencyPolicy policy(int size) {
    return new LeastLatencyPolicy(size, 0.5, 10_000, 0, 30, 1000, clock);
  }

  @Test
  void bandsDoubleWithRequestsInFlight() {
    assertEquals(0, LatencyBands.band(1));
    assertEquals(1, LatencyBands.band(2));
    assertEquals(2, LatencyBands.band(4));
    assertEquals(3, LatencyBands.band(5));
    assertEquals(3, LatencyBands.band(8));
    assertEquals(7, LatencyBands.band(1000));
  }

  @Test
  void aPureDelayBackendThatStaysFastTakesEveryConcurrentRequest() {
    LeastLatencyPolicy p = policy(2);
    for (int n = 0; n < 50; n++) {
      int pick = p.pick(Eligibility.all(2));
      p.begin(pick);
    }
    // Completions report the fast backend as fast at every load it ran under.
    for (int n = 0; n < 50; n++) {
      p.end(0, 10, false);
    }
    p.observe(1, 50, false);
    int[] counts = new int[2];
    for (int n = 0; n < 60; n++) {
      int pick = p.pick(Eligibility.all(2));
      p.begin(pick);
      counts[pick]++;
    }
    assertEquals(60, counts[0]);
  }

  @Test
  void aCapacityBoundBackendSpillsOverOnceItsQueueCostsMoreThanGoingElsewhere() {
    LeastLatencyPolicy p = policy(2);
    p.end(0, p.begin(0), 10, false);      // alone: 10 ms
    int[] loads = new int[8];
    for (int i = 0; i < 8; i++) {
      loads[i] = p.begin(0);
    }
    for (int i = 4; i < 8; i++) {
      p.end(0, loads[i], 80, false);      // dispatched into 5-8 in flight: queueing, 80 ms
    }
    for (int i = 0; i < 4; i++) {
      p.cancel(0);                        // the first four leave without teaching anything
    }
    p.end(1, p.begin(1), 50, false);      // the other one: 50 ms alone
    int[] counts = new int[2];
    for (int n = 0; n < 10; n++) {
      int pick = p.pick(Eligibility.all(2));
      p.begin(pick);
      counts[pick]++;
    }
    // b0 takes requests while its predicted latency (10 ms for 1, 10 ms borrowed for 2-4) beats 50 ms,
    // then from 5 in flight it predicts 80 ms and the rest go to b1.
    assertEquals(4, counts[0]);
    assertEquals(6, counts[1]);
  }

  @Test
  void aSampleAboveTheDecayedEstimateReplacesIt() {
    LeastLatencyPolicy p = policy(1);
    p.observe(0, 1, 100, false);
    clock.advanceMs(20_000); // decayed to 100 / e^2 = 13.5
    p.observe(0, 1, 60, false);
    assertEquals(60.0, p.predict(0, clock.nanoTime()), 1e-9);
    p.observe(0, 1, 20, false); // lower: blended, alpha 0.5
    assertEquals(40.0, p.predict(0, clock.nanoTime()), 1e-9);
  }

  @Test
  void aSlowEstimateFadesSoTheBackendIsTriedAgain() {
    LeastLatencyPolicy p = policy(2);
    p.observe(0, 400, false);
    p.observe(1, 50, false);
    assertEquals(1, p.pick(Eligibility.all(2)));
    clock.advanceMs(30_000); // b0's 400 ms decays below b1's 50 ms, which also decays but from lower
    p.observe(1, 50, false);  // b1 is refreshed
    assertEquals(0, p.pick(Eligibility.all(2)));
  }
}
