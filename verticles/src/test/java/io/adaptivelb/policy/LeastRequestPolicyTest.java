package io.adaptivelb.policy;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeastRequestPolicyTest {

  @Test
  void ofTwoRandomBackendsTheOneWithFewerRequestsInFlightWins() {
    LeastRequestPolicy policy = new LeastRequestPolicy(2, new SplittableRandom(1));
    for (int i = 0; i < 5; i++) {
      policy.begin(0);
    }
    for (int i = 0; i < 100; i++) {
      assertEquals(1, policy.pick(Eligibility.all(2))); // with two backends both are always drawn
    }
  }

  @Test
  void aBackendWithARequestPileNeverWinsAgainstAnIdleOne() {
    // Three backends: the loaded one can be drawn, but it loses to whichever idle one is drawn with it.
    LeastRequestPolicy policy = new LeastRequestPolicy(3, new SplittableRandom(7));
    for (int i = 0; i < 10; i++) {
      policy.begin(2);
    }
    int[] counts = new int[3];
    for (int i = 0; i < 3000; i++) {
      counts[policy.pick(Eligibility.all(3))]++;
    }
    assertEquals(0, counts[2]);
    assertTrue(counts[0] > 1000 && counts[1] > 1000, counts[0] + "/" + counts[1]);
  }

  @Test
  void endBringsTheCountBackDown() {
    LeastRequestPolicy policy = new LeastRequestPolicy(2, new SplittableRandom(3));
    policy.begin(1);
    policy.end(1, 10, false);
    assertEquals(0, policy.inFlight(1));
  }
}
