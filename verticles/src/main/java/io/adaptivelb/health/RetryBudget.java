package io.adaptivelb.health;

import io.adaptivelb.common.Clock;


/**
 * Caps retries to a share of recent requests (Finagle's RetryBudget): over the last 10 seconds,
 * retries may be at most {@code percent}% of requests, plus {@code minPerSec} per second so a quiet
 * proxy can still retry. Retries therefore cannot multiply the load on a failing cluster.
 */
public final class RetryBudget {

  private static final int SECONDS = 10;

  private final double percent;
  private final int minPerSec;
  private final Clock clock;
  private final long[] second = new long[SECONDS];
  private final long[] requests = new long[SECONDS];
  private final long[] retries = new long[SECONDS];

  public RetryBudget(double percent, int minPerSec, Clock clock) {
    this.percent = percent;
    this.minPerSec = minPerSec;
    this.clock = clock;
  }

  public void request() {
    requests[slot()]++;
  }

  /** Takes one retry from the budget if there is one left. */
  public boolean tryRetry() {
    int now = slot();
    long sumRequests = 0;
    long sumRetries = 0;
    long current = second[now];
    for (int i = 0; i < SECONDS; i++) {
      if (current - second[i] < SECONDS) {
        sumRequests += requests[i];
        sumRetries += retries[i];
      }
    }
    double allowed = (long) minPerSec * SECONDS + sumRequests * percent / 100.0;
    if (sumRetries + 1 > allowed) {
      return false;
    }
    retries[now]++;
    return true;
  }

  private int slot() {
    long sec = Math.floorDiv(clock.nanoTime(), 1_000_000_000L);
    int i = (int) Math.floorMod(sec, SECONDS);
    if (second[i] != sec) {
      second[i] = sec;
      requests[i] = 0;
      retries[i] = 0;
    }
    return i;
  }
}
