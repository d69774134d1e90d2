package io.adaptivelb.policy;

/** Monotonic time for policies, injectable so tests can move time by hand. */
@FunctionalInterface
public interface Clock {

  Clock SYSTEM = System::nanoTime;

  long nanoTime();
}
