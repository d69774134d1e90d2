package io.adaptivelb.cluster;

import io.adaptivelb.common.Clock;


import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The backends one proxy process has heard of and when it last did. Plain Java with an injected
 * clock, so expiry is tested without waiting. Owned by one event loop.
 */
final class BackendRegistry {

  /** What the proxies must be told after an announcement. */
  enum Change { ADDED, MOVED, NONE, IGNORED }

  private record Entry(String url, long lastSeenMs, long expiryMs) {
  }

  private final Map<String, Entry> known = new HashMap<>();
  private final Set<String> staticNames;
  private final int missedHeartbeats;
  private final Clock clock;

  /**
   * @param staticNames backends of the static config: never added, moved or dropped by discovery, so an
   *                    announcement can never take a configured backend away
   */
  BackendRegistry(Set<String> staticNames, int missedHeartbeats, Clock clock) {
    this.staticNames = Set.copyOf(staticNames);
    this.missedHeartbeats = missedHeartbeats;
    this.clock = clock;
  }

  Change seen(BackendAnnouncement a) {
    if (staticNames.contains(a.name())) {
      return Change.IGNORED;
    }
    Entry previous = known.put(a.name(), new Entry(a.url(), clock.nanoTime() / 1_000_000, a.heartbeatMs() * missedHeartbeats));
    if (previous == null) {
      return Change.ADDED;
    }
    return previous.url().equals(a.url()) ? Change.NONE : Change.MOVED;
  }

  /** @return whether the backend was known (and is now forgotten) */
  boolean left(String name) {
    return known.remove(name) != null;
  }

  /** Forgets and returns the backends silent for longer than their expiry. */
  List<String> expire() {
    long now = clock.nanoTime() / 1_000_000;
    List<String> gone = new ArrayList<>();
    known.entrySet().removeIf(e -> {
      boolean silent = now - e.getValue().lastSeenMs() > e.getValue().expiryMs();
      if (silent) {
        gone.add(e.getKey());
      }
      return silent;
    });
    gone.sort(null);
    return gone;
  }

  Set<String> names() {
    return Set.copyOf(known.keySet());
  }
}
