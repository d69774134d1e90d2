package io.adaptivelb.sim;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventQueueTest {

  @Test
  void eventsComeOutInTimeOrderAndEqualTimesInTheOrderTheyWereAdded() {
    EventQueue q = new EventQueue();
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 10_000; i++) {
      q.add(r.nextInt(100), 1, i, 0);
    }
    double lastTime = -1;
    int lastArg = -1;
    while (!q.isEmpty()) {
      q.pop();
      assertTrue(q.time() >= lastTime);
      if (q.time() == lastTime) {
        assertTrue(q.a() > lastArg, "ties keep insertion order");
      }
      lastTime = q.time();
      lastArg = q.a();
    }
  }

  @Test
  void carriesKindAndArguments() {
    EventQueue q = new EventQueue();
    q.add(5, 7, 11, 13);
    q.add(1, 2, 3, 4);
    q.pop();
    assertEquals(1, q.time());
    assertEquals(2, q.kind());
    assertEquals(3, q.a());
    assertEquals(4, q.b());
    assertEquals(1, q.size());
  }
}
