package io.adaptivelb.health;

import io.adaptivelb.common.FakeClock;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryBudgetTest {

  private final FakeClock clock = new FakeClock();

  @Test
  void retriesAreCappedAtAShareOfRequests() {
    RetryBudget budget = new RetryBudget(20, 0, clock);
    for (int i = 0; i < 100; i++) {
      budget.request();
    }
    int granted = 0;
    while (budget.tryRetry()) {
      granted++;
    }
    assertEquals(20, granted);
  }

  @Test
  void aQuietProxyStillGetsItsMinimumPerSecond() {
    RetryBudget budget = new RetryBudget(20, 1, clock);
    int granted = 0;
    while (budget.tryRetry()) {
      granted++;
    }
    assertEquals(10, granted); // 1 per second over the 10 s window
  }

  @Test
  void theBudgetRefillsAsOldSecondsLeaveTheWindow() {
    RetryBudget budget = new RetryBudget(0, 1, clock);
    while (budget.tryRetry()) {
      // drain
    }
    assertFalse(budget.tryRetry());
    clock.advanceMs(10_001);
    assertTrue(budget.tryRetry());
  }
}
