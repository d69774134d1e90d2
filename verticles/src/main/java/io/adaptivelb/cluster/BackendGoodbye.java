package io.adaptivelb.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A clean stop's last word: these backends of this run stop now. Final: nothing the run announces after
 * it (a heartbeat already on its way) brings its backends back.
 *
 * @param instance the run saying goodbye, as in its {@link BackendAnnouncement}s
 */
public record BackendGoodbye(String instance, List<String> names) {

  public BackendGoodbye {
    names = List.copyOf(names);
  }

  public JsonObject toJson() {
    return new JsonObject().put("instance", instance).put("names", new JsonArray(names));
  }

  /** @throws IllegalArgumentException when a field is missing (a message from some other program) */
  public static BackendGoodbye fromJson(JsonObject json) {
    String instance = json.getString("instance");
    JsonArray array = json.getJsonArray("names");
    if (instance == null || instance.isEmpty() || array == null) {
      throw new IllegalArgumentException("goodbye needs instance and names: " + json.encode());
    }
    List<String> names = new ArrayList<>();
    for (Object name : array) {
      if (!(name instanceof String n)) {
        throw new IllegalArgumentException("goodbye names must be strings: " + json.encode());
      }
      names.add(n);
    }
    return new BackendGoodbye(instance, names);
  }
}
