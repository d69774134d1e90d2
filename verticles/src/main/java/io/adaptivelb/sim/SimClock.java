package io.adaptivelb.sim;

import io.adaptivelb.common.Clock;

/** Simulated time for the policies: the event being processed, in nanoseconds. */
final class SimClock implements Clock {

  private double nowMs;

  void setMs(double ms) {
    nowMs = ms;
  }

  double ms() {
    return nowMs;
  }

  @Override
  public long nanoTime() {
    // Offset so that a policy's "never sampled" stamp of 0 is always far in the past.
    return 1_000_000_000L + (long) (nowMs * 1_000_000);
  }
}
