package io.adaptivelb.policy;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writing-a-policy guide's example does what its explanation says. */
class InverseLatencyPolicyTest {

  private static InverseLatencyPolicy policy(double power) {
    return new InverseLatencyPolicy(2, 0.3, power, 30, 1000, new SplittableRandom(7));
  }

  @Test
  void aBackendFourTimesFasterGetsFourFifthsOfTheRequests() {
    int[] counts = Sequential.run(policy(1), 20_000, 10, 40);
    double fastShare = counts[0] / 20_000.0;
    assertTrue(fastShare > 0.77 && fastShare < 0.83, "share of the fast backend " + fastShare);
  }

  @Test
  void powerZeroIsUniform() {
    int[] counts = Sequential.run(policy(0), 20_000, 10, 40);
    double fastShare = counts[0] / 20_000.0;
    assertTrue(fastShare > 0.47 && fastShare < 0.53, "share of the fast backend " + fastShare);
  }

  @Test
  void aFailureIsLearntAsThePenaltyAndNothingEligibleMeansNoPick() {
    InverseLatencyPolicy policy = policy(1);
    policy.end(1, policy.begin(1), 2, true);
    assertEquals(1000.0, policy.latency(1));
    assertEquals(30.0, policy.latency(0)); // no sample yet: defaultRttMs
    assertEquals(-1, policy.pick(Eligibility.where(2, b -> false)));
    assertEquals(0, policy.peek(Eligibility.all(2)));
  }
}
