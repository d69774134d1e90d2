package io.adaptivelb.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests each simulated backend served between two {@code /stats} snapshots, from the backends' own
 * counters ({@code backends[].server.requests}). That is the only per-backend count that exists when
 * nginx or HAProxy, not our proxy, sits in front.
 */
public final class CounterDelta {

  private CounterDelta() {
  }

  public static Map<String, Long> between(JsonObject before, JsonObject after) {
    Map<String, Long> start = requests(before);
    Map<String, Long> end = requests(after);
    Map<String, Long> delta = new TreeMap<>();
    end.forEach((name, n) -> {
      long d = n - start.getOrDefault(name, 0L);
      if (d < 0) {
        throw new IllegalArgumentException("backend " + name + " counter went back from " + start.get(name) + " to " + n
            + ": were the snapshots from two different labs?");
      }
      delta.put(name, d);
    });
    return delta;
  }

  static Map<String, Long> requests(JsonObject stats) {
    Map<String, Long> out = new TreeMap<>();
    JsonArray backends = stats.getJsonArray("backends", new JsonArray());
    for (int i = 0; i < backends.size(); i++) {
      JsonObject b = backends.getJsonObject(i);
      JsonObject server = b.getJsonObject("server");
      if (server != null) {
        out.put(b.getString("name"), server.getLong("requests", 0L));
      }
    }
    return out;
  }
}
