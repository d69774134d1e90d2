package io.adaptivelb.common;

/** Monotonic time for policies, health and discovery, injectable so tests can move time by hand. */
@FunctionalInterface
public interface Clock {

  Clock SYSTEM = System::nanoTime;

  long nanoTime();
}
