package io.adaptivelb.cluster;

import io.vertx.core.json.JsonObject;

/**
 * What a backend tells the cluster about itself, every heartbeat.
 *
 * @param url         where proxies reach it ({@code http://advertisedHost:port})
 * @param profile     its simulated behaviour at start (latency, capacity, errorRate, bodyBytes), for people
 * @param instance    id of the announcing process's run, so a restarted backend of the same name is seen as new
 * @param heartbeatMs the announcer's period: the receiver derives the expiry from it
 */
public record BackendAnnouncement(String name, String url, JsonObject profile, String instance, long heartbeatMs) {

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("url", url).put("profile", profile)
      .put("instance", instance).put("heartbeatMs", heartbeatMs);
  }

  /** @throws IllegalArgumentException when a field is missing (a message from some other program) */
  public static BackendAnnouncement fromJson(JsonObject json) {
    String name = json.getString("name");
    String url = json.getString("url");
    Long heartbeat = json.getLong("heartbeatMs");
    if (name == null || url == null || heartbeat == null || heartbeat <= 0) {
      throw new IllegalArgumentException("announcement needs name, url and a positive heartbeatMs: " + json.encode());
    }
    JsonObject profile = json.getJsonObject("profile", new JsonObject());
    return new BackendAnnouncement(name, url, profile, json.getString("instance", ""), heartbeat);
  }
}
