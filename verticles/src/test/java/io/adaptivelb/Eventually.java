package io.adaptivelb;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * For state that other event loops publish on their own schedule (policy state every 500 ms,
 * telemetry batches every 50 ms): ask again until the condition holds or the deadline passes.
 * Correctness only; no test asserts on how long it took.
 */
public final class Eventually {

  private Eventually() {
  }

  public static <T> T await(Duration deadline, Callable<T> probe, java.util.function.Predicate<T> done) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    T last = probe.call();
    while (!done.test(last)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + deadline + "; last value: " + last);
      }
      Thread.onSpinWait();
      Thread.sleep(20);
      last = probe.call();
    }
    return last;
  }
}
