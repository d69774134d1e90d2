package io.adaptivelb.common;

/** A clock the test moves by hand. */
public final class FakeClock implements Clock {

  private long nanos = 1_000_000_000L;

  @Override
  public long nanoTime() {
    return nanos;
  }

  public void advanceMs(double ms) {
    nanos += (long) (ms * 1_000_000);
  }
}
