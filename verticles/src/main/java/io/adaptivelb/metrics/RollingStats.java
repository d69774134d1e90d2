package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;

import java.util.Map;
import java.util.HashMap;
import java.util.TreeSet;

/**
 * Per-backend, per-group and overall statistics over a sliding window: per backend the latency the
 * backend showed (upstream ms), per upstream group and overall the latency clients saw (total ms). A
 * tunnel (WebSocket) counts as one request of its handshake's latency, never of its lifetime, which would
 * swamp every percentile.
 * Owned by one event loop.
 */
final class RollingStats {

  private final int windowSec;
  /** One entry per backend holding both its window and its lifetime count: one map lookup per record. */
  private final Map<String, Windowed> perBackend = new HashMap<>();
  /** The requests of each upstream group, as the overall window holds those of all groups. */
  private final Map<String, Windowed> perGroup = new HashMap<>();
  private final LatencyWindow overall;
  private long overallLifetime;
  private long startedSec;

  RollingStats(int windowSec, long nowSec) {
    this.windowSec = windowSec;
    this.overall = new LatencyWindow(windowSec);
    this.startedSec = nowSec;
  }

  /** Backend name of requests no backend was chosen for (none eligible): counted in the totals only. */
  static final String NO_BACKEND = "-";

  void add(LatencyRecord r) {
    long sec = r.tsMs() / 1000;
    if (!NO_BACKEND.equals(r.backend())) {
      Windowed b = entry(perBackend, r.backend());
      b.window.record(sec, r.upstreamMs(), r.failed());
      b.lifetime++;
      b.group = r.group();
    }
    if (!r.retried()) { // a failed try is the backend's statistic; the client saw only the request's outcome
      overall.record(sec, r.tunnel() ? r.upstreamMs() : r.totalMs(), r.failed());
      overallLifetime++;
      Windowed g = entry(perGroup, r.group());
      g.window.record(sec, r.totalMs(), r.failed());
      g.lifetime++;
    }
  }

  private Windowed entry(Map<String, Windowed> map, String key) {
    Windowed w = map.get(key);
    if (w == null) {
      w = new Windowed(new LatencyWindow(windowSec));
      map.put(key, w);
    }
    return w;
  }

  private static LatencyWindow.Summary summary(Map<String, Windowed> map, String key, long nowSec) {
    Windowed w = map.get(key);
    return w == null ? new LatencyWindow.Summary(0, 0, 0, 0, 0, 0) : w.window.summarize(nowSec);
  }

  private static long lifetime(Map<String, Windowed> map, String key) {
    Windowed w = map.get(key);
    return w == null ? 0 : w.lifetime;
  }

  Iterable<String> backends() {
    return new TreeSet<>(perBackend.keySet());
  }

  LatencyWindow.Summary backend(String name, long nowSec) {
    return summary(perBackend, name, nowSec);
  }

  /** The group of the backend's latest record, or null when it has none. */
  String groupOf(String backend) {
    Windowed b = perBackend.get(backend);
    return b == null ? null : b.group;
  }

  Iterable<String> groups() {
    return new TreeSet<>(perGroup.keySet());
  }

  /** The requests routed to {@code group}, as {@link #overall} for all of them. */
  LatencyWindow.Summary group(String group, long nowSec) {
    return summary(perGroup, group, nowSec);
  }

  long groupLifetime(String group) {
    return lifetime(perGroup, group);
  }

  LatencyWindow.Summary overall(long nowSec) {
    return overall.summarize(nowSec);
  }

  long lifetime(String backend) {
    return lifetime(perBackend, backend);
  }

  long overallLifetime() {
    return overallLifetime;
  }

  /** Seconds the rates are divided by: the window, or less while the window has not filled yet. */
  double rateSpan(long nowSec) {
    return Math.max(1, Math.min(windowSec, nowSec - startedSec + 1));
  }

  int windowSec() {
    return windowSec;
  }

  void reset(long nowSec) {
    perBackend.clear();
    perGroup.clear();
    overall.clear();
    overallLifetime = 0;
    startedSec = nowSec;
  }

  /** A window and a lifetime count: of a backend's tries, or of a group's requests. */
  private static final class Windowed {
    final LatencyWindow window;
    long lifetime;
    /** A backend's group, as its latest record names it. */
    String group;

    Windowed(LatencyWindow window) {
      this.window = window;
    }
  }
}
