package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;

import java.util.Map;
import java.util.HashMap;
import java.util.TreeSet;

/**
 * Per-backend and overall statistics over a sliding window: per backend the latency the backend
 * showed (upstream ms), overall the latency clients saw (total ms). Owned by one event loop.
 */
final class RollingStats {

  private final int windowSec;
  private final Map<String, LatencyWindow> perBackend = new HashMap<>();
  private final Map<String, long[]> lifetime = new HashMap<>();
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
      perBackend.computeIfAbsent(r.backend(), n -> new LatencyWindow(windowSec)).record(sec, r.upstreamMs(), r.failed());
      lifetime.computeIfAbsent(r.backend(), n -> new long[1])[0]++;
    }
    if (!r.retried()) { // a failed try is the backend's statistic; the client saw only the request's outcome
      overall.record(sec, r.totalMs(), r.failed());
      overallLifetime++;
    }
  }

  Iterable<String> backends() {
    return new TreeSet<>(perBackend.keySet());
  }

  LatencyWindow.Summary backend(String name, long nowSec) {
    LatencyWindow w = perBackend.get(name);
    return w == null ? new LatencyWindow.Summary(0, 0, 0, 0, 0, 0) : w.summarize(nowSec);
  }

  LatencyWindow.Summary overall(long nowSec) {
    return overall.summarize(nowSec);
  }

  long lifetime(String backend) {
    long[] count = lifetime.get(backend);
    return count == null ? 0 : count[0];
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
    lifetime.clear();
    overall.clear();
    overallLifetime = 0;
    startedSec = nowSec;
  }
}
