package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;

import java.util.Map;
import java.util.HashMap;
import java.util.TreeSet;

/**
 * Per-backend and overall statistics over a sliding window: per backend the latency the backend
 * showed (upstream ms), overall the latency clients saw (total ms). A tunnel (WebSocket) counts as one
 * request of its handshake's latency, never of its lifetime, which would swamp every percentile.
 * Owned by one event loop.
 */
final class RollingStats {

  private final int windowSec;
  /** One entry per backend holding both its window and its lifetime count: one map lookup per record. */
  private final Map<String, PerBackend> perBackend = new HashMap<>();
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
      PerBackend b = perBackend.get(r.backend());
      if (b == null) {
        b = new PerBackend(new LatencyWindow(windowSec));
        perBackend.put(r.backend(), b);
      }
      b.window.record(sec, r.upstreamMs(), r.failed());
      b.lifetime++;
    }
    if (!r.retried()) { // a failed try is the backend's statistic; the client saw only the request's outcome
      overall.record(sec, r.tunnel() ? r.upstreamMs() : r.totalMs(), r.failed());
      overallLifetime++;
    }
  }

  Iterable<String> backends() {
    return new TreeSet<>(perBackend.keySet());
  }

  LatencyWindow.Summary backend(String name, long nowSec) {
    PerBackend b = perBackend.get(name);
    return b == null ? new LatencyWindow.Summary(0, 0, 0, 0, 0, 0) : b.window.summarize(nowSec);
  }

  LatencyWindow.Summary overall(long nowSec) {
    return overall.summarize(nowSec);
  }

  long lifetime(String backend) {
    PerBackend b = perBackend.get(backend);
    return b == null ? 0 : b.lifetime;
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
    overall.clear();
    overallLifetime = 0;
    startedSec = nowSec;
  }

  private static final class PerBackend {
    final LatencyWindow window;
    long lifetime;

    PerBackend(LatencyWindow window) {
      this.window = window;
    }
  }
}
