package io.adaptivelb.policy;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RoundRobinPolicyTest {

  @Test
  void cyclesInFixedOrderWhateverTheLatency() {
    RoundRobinPolicy rr = new RoundRobinPolicy(3);
    int[] counts = new int[3];
    for (int i = 0; i < 300; i++) {
      int pick = rr.pick(Eligibility.all(3));
      assertEquals(i % 3, pick);
      rr.begin(pick);
      rr.end(pick, pick == 0 ? 1000 : 1, pick == 0);
      counts[pick]++;
    }
    assertArrayEquals(new int[]{100, 100, 100}, counts);
  }

  @Test
  void stateNamesTheNextPickWithoutTakingIt() {
    RoundRobinPolicy rr = new RoundRobinPolicy(2);
    rr.pick(Eligibility.all(2));
    assertEquals(1, rr.peek(Eligibility.all(2)));
    assertEquals(1, rr.peek(Eligibility.all(2)));
    assertEquals(1, rr.pick(Eligibility.all(2)));
  }
}
