package io.adaptivelb.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeSet;

/** Builds the {@code /stats} JSON from the rolling stats, the proxies' policy states and the backends' counters. */
final class StatsSnapshot {

  private StatsSnapshot() {
  }

  static JsonObject build(RollingStats stats, Map<String, JsonObject> policyStates, Map<String, JsonObject> backendCounters,
                          long nowMs, long startedMs) {
    long nowSec = nowMs / 1000;
    double span = stats.rateSpan(nowSec);
    LatencyWindow.Summary all = stats.overall(nowSec);
    // Listed: what a proxy routes to, what a backend reports, and whatever served requests in the window;
    // so a backend that is gone leaves once its last requests age out.
    TreeSet<String> names = new TreeSet<>(backendCounters.keySet());
    Map<String, LatencyWindow.Summary> summaries = new java.util.HashMap<>(); // merging histograms costs: once each
    stats.backends().forEach(name -> {
      LatencyWindow.Summary s = stats.backend(name, nowSec);
      summaries.put(name, s);
      if (s.count() > 0) {
        names.add(name);
      }
    });
    JsonObject firstPolicy = policyStates.isEmpty() ? null : policyStates.get(new TreeSet<>(policyStates.keySet()).first());
    if (firstPolicy != null) {
      firstPolicy.getJsonArray("backends").forEach(b -> names.add(((JsonObject) b).getString("name")));
    }
    JsonArray backends = new JsonArray();
    for (String name : names) {
      LatencyWindow.Summary s = summaries.computeIfAbsent(name, n -> stats.backend(n, nowSec));
      JsonObject row = summary(s, span)
        .put("name", name)
        .put("share", all.count() == 0 ? 0.0 : round((double) s.count() / all.count(), 4))
        .put("requestsTotal", stats.lifetime(name));
      if (firstPolicy != null) {
        JsonObject policyRow = policyRow(firstPolicy, name);
        if (policyRow != null) {
          row.put("policy", policyRow);
        }
      }
      if (backendCounters.containsKey(name)) {
        row.put("server", backendCounters.get(name));
      }
      backends.add(row);
    }
    JsonArray proxies = new JsonArray();
    new TreeSet<>(policyStates.keySet()).forEach(id -> proxies.add(policyStates.get(id)));
    return new JsonObject()
      .put("uptimeSec", (nowMs - startedMs) / 1000)
      .put("windowSec", stats.windowSec())
      .put("policy", firstPolicy == null ? null : firstPolicy.getString("policy"))
      .put("connection", firstPolicy == null ? null : firstPolicy.getString("connection"))
      .put("totals", summary(all, span).put("requestsTotal", stats.overallLifetime()))
      .put("backends", backends)
      .put("proxies", proxies);
  }

  private static JsonObject policyRow(JsonObject state, String backend) {
    for (Object o : state.getJsonArray("backends")) {
      JsonObject row = (JsonObject) o;
      if (backend.equals(row.getString("name"))) {
        JsonObject copy = row.copy();
        copy.remove("name");
        return copy;
      }
    }
    return null;
  }

  private static JsonObject summary(LatencyWindow.Summary s, double span) {
    return new JsonObject()
      .put("count", s.count())
      .put("rps", round(s.count() / span, 2))
      .put("errors", s.errors())
      .put("mean", round(s.meanMs(), 3))
      .put("p50", round(s.p50Ms(), 3))
      .put("p95", round(s.p95Ms(), 3))
      .put("p99", round(s.p99Ms(), 3));
  }

  private static double round(double v, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
