package io.adaptivelb.backend;

import io.adaptivelb.config.PhaseConfig;

import java.util.List;
import java.util.function.Consumer;

/** Applies a backend's phases {@code atSec} seconds after it started, each on a timer of its own. */
final class PhaseSchedule {

  /** Runs {@code action} once after {@code delayMs}: Vert.x's timer in the lab, a hand-moved one in tests. */
  @FunctionalInterface
  interface Timer {
    void after(long delayMs, Runnable action);
  }

  private PhaseSchedule() {
  }

  static void start(List<PhaseConfig> phases, Timer timer, Consumer<PhaseConfig> apply) {
    for (PhaseConfig phase : phases) {
      // At least 1 ms: a phase at 0 s still comes after the backend's initial profile.
      timer.after(Math.max(1, Math.round(phase.atSec() * 1000)), () -> apply.accept(phase));
    }
  }
}
