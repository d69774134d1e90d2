package io.adaptivelb.metrics;

import io.adaptivelb.telemetry.LatencyRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the {@code /stats} JSON from the rolling stats, the proxies' policy states and the backends'
 * counters: the totals and the backends of every upstream group together (as a lab without groups has
 * them), and per group its policy, connection mode, totals and backends.
 */
final class StatsSnapshot {

  private StatsSnapshot() {
  }

  static JsonObject build(RollingStats stats, Map<String, JsonObject> policyStates, Map<String, JsonObject> backendCounters,
                          long nowMs, long startedMs) {
    long nowSec = nowMs / 1000;
    double span = stats.rateSpan(nowSec);
    LatencyWindow.Summary all = stats.overall(nowSec);
    // Each group's state as its first proxy instance (by id) reports it: one instance's view, as ever.
    Map<String, JsonObject> firstOfGroup = new TreeMap<>();
    new TreeSet<>(policyStates.keySet()).forEach(id -> {
      JsonObject state = policyStates.get(id);
      firstOfGroup.putIfAbsent(state.getString("group", LatencyRecord.DEFAULT_GROUP), state);
    });
    // Listed: what a proxy routes to, what a backend reports, and whatever served requests in the window;
    // so a backend that is gone leaves once its last requests age out.
    TreeSet<String> names = new TreeSet<>(backendCounters.keySet());
    Map<String, LatencyWindow.Summary> summaries = new HashMap<>(); // merging histograms costs: once each
    stats.backends().forEach(name -> {
      LatencyWindow.Summary s = stats.backend(name, nowSec);
      summaries.put(name, s);
      if (s.count() > 0) {
        names.add(name);
      }
    });
    Map<String, String> groupOf = new HashMap<>();
    firstOfGroup.forEach((group, state) -> state.getJsonArray("backends").forEach(b -> {
      String name = ((JsonObject) b).getString("name");
      names.add(name);
      groupOf.put(name, group);
    }));
    Map<String, Group> groups = groups(stats, firstOfGroup, nowSec);
    JsonArray backends = new JsonArray();
    for (String name : names) {
      LatencyWindow.Summary s = summaries.computeIfAbsent(name, n -> stats.backend(n, nowSec));
      String group = groupOf.getOrDefault(name, stats.groupOf(name));
      JsonObject row = summary(s, span)
        .put("name", name)
        .put("share", all.count() == 0 ? 0.0 : round((double) s.count() / all.count(), 4))
        .put("requestsTotal", stats.lifetime(name));
      if (group != null) {
        Group g = groups.computeIfAbsent(group, n -> new Group(n, null, stats.group(n, nowSec), stats.groupLifetime(n)));
        g.backends.add(name);
        row.put("group", group).put("groupShare", g.requests.count() == 0 ? 0.0 : round((double) s.count() / g.requests.count(), 4));
        JsonObject policyRow = g.state == null ? null : policyRow(g.state, name);
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
    JsonObject defaultState = firstOfGroup.get(LatencyRecord.DEFAULT_GROUP);
    JsonObject byGroup = new JsonObject();
    groups.values().forEach(g -> byGroup.put(g.name, g.toJson(span)));
    return new JsonObject()
      .put("uptimeSec", (nowMs - startedMs) / 1000)
      .put("windowSec", stats.windowSec())
      .put("policy", defaultState == null ? null : defaultState.getString("policy"))
      .put("connection", defaultState == null ? null : defaultState.getString("connection"))
      .put("totals", summary(all, span).put("requestsTotal", stats.overallLifetime()))
      .put("backends", backends)
      .put("groups", byGroup)
      .put("proxies", proxies);
  }

  /** One upstream group's figures: its first proxy instance's state (null when no proxy reports it). */
  private record Group(String name, JsonObject state, LatencyWindow.Summary requests, long requestsTotal,
                       JsonArray backends) {

    Group(String name, JsonObject state, LatencyWindow.Summary requests, long requestsTotal) {
      this(name, state, requests, requestsTotal, new JsonArray());
    }

    JsonObject toJson(double span) {
      JsonObject json = new JsonObject();
      if (state != null) {
        json.put("policy", state.getString("policy")).put("policyConfig", state.getJsonObject("policyConfig"))
          .put("connection", state.getString("connection"));
      }
      return json.put("totals", summary(requests, span).put("requestsTotal", requestsTotal)).put("backends", backends);
    }
  }

  /** The default group first, then the others by name: those the proxies report and those seen in requests. */
  private static Map<String, Group> groups(RollingStats stats, Map<String, JsonObject> firstOfGroup, long nowSec) {
    TreeSet<String> names = new TreeSet<>(firstOfGroup.keySet());
    stats.groups().forEach(names::add);
    List<String> ordered = new ArrayList<>();
    if (names.remove(LatencyRecord.DEFAULT_GROUP)) {
      ordered.add(LatencyRecord.DEFAULT_GROUP);
    }
    ordered.addAll(names);
    Map<String, Group> groups = new LinkedHashMap<>();
    for (String name : ordered) {
      groups.put(name, new Group(name, firstOfGroup.get(name), stats.group(name, nowSec), stats.groupLifetime(name)));
    }
    return groups;
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
