package io.adaptivelb.internals;

import sun.misc.Signal;

/**
 * The one use of the JDK's unsupported signal API ({@code sun.misc.Signal}, module jdk.unsupported),
 * kept beside {@link VertxInternals} for the same reason: a JDK upgrade that drops or changes it is
 * checked here and nowhere else. Why it is used at all: the JDK has no supported way to catch SIGHUP or
 * SIGUSR1, and operators' tools (systemd's reload, logrotate) speak signals.
 */
public final class OsSignals {

  private OsSignals() {
  }

  /**
   * Runs {@code action} (on the JDK's signal thread) whenever the process gets SIG{@code name}.
   *
   * @throws IllegalArgumentException when the signal cannot be handled here (-Xrs, another platform,
   *                                  or one the JVM keeps for itself)
   */
  public static void handle(String name, Runnable action) {
    Signal.handle(new Signal(name), signal -> action.run());
  }
}
