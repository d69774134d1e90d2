package io.adaptivelb.cluster;

import io.adaptivelb.common.Clock;


import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The backends one proxy process has heard of, from which run, and when it last did. Plain Java with an
 * injected clock, so expiry is tested without waiting. Owned by one event loop.
 */
final class BackendRegistry {

  /** What the proxies must be told after an announcement. */
  enum Change { ADDED, MOVED, NONE, IGNORED }

  /**
   * Runs that said goodbye, remembered so their late heartbeats are ignored. A late heartbeat is at most
   * a period or two behind its goodbye; this many runs leaving meanwhile is far beyond any lab.
   */
  private static final int DEPARTED_REMEMBERED = 1024;

  private record Entry(String url, String instance, long seq, long lastSeenMs, long expiryMs) {
  }

  private final Map<String, Entry> known = new HashMap<>();
  private final Map<String, Boolean> departed = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > DEPARTED_REMEMBERED;
    }
  };
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
    if (staticNames.contains(a.name()) || departed.containsKey(a.instance())) {
      return Change.IGNORED;
    }
    Entry previous = known.get(a.name());
    if (previous != null && previous.instance().equals(a.instance()) && a.seq() <= previous.seq()) {
      return Change.IGNORED; // overtaken on the way by a newer heartbeat of the same run
    }
    known.put(a.name(), new Entry(a.url(), a.instance(), a.seq(), clock.nanoTime() / 1_000_000, a.heartbeatMs() * missedHeartbeats));
    if (previous == null) {
      return Change.ADDED;
    }
    return previous.url().equals(a.url()) ? Change.NONE : Change.MOVED;
  }

  /**
   * Forgets the run for good, and those of its backends that no newer run has announced since.
   *
   * @return the names forgotten now, which the proxies must drop
   */
  List<String> left(BackendGoodbye goodbye) {
    departed.put(goodbye.instance(), Boolean.TRUE);
    List<String> gone = new ArrayList<>();
    for (String name : goodbye.names()) {
      Entry entry = known.get(name);
      if (entry != null && entry.instance().equals(goodbye.instance())) {
        known.remove(name);
        gone.add(name);
      }
    }
    return gone;
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
