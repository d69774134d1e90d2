package io.adaptivelb.cluster;

import io.vertx.core.json.JsonObject;

/**
 * What a backend tells the cluster about itself, every heartbeat.
 *
 * @param url         where proxies reach it ({@code http://advertisedHost:port})
 * @param profile     its simulated behaviour at start (latency, capacity, errorRate, bodyBytes), for people
 * @param instance    id of the announcing run: a restarted backend of the same name is a new instance, and a
 *                    goodbye is final for the instance that said it
 * @param seq         the run's heartbeat count, from 1: an announcement older than one already heard is stale
 * @param heartbeatMs the announcer's period: the receiver derives the expiry from it
 */
public record BackendAnnouncement(String name, String url, JsonObject profile, String instance, long seq, long heartbeatMs) {

  public BackendAnnouncement withSeq(long next) {
    return new BackendAnnouncement(name, url, profile, instance, next, heartbeatMs);
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("url", url).put("profile", profile)
      .put("instance", instance).put("seq", seq).put("heartbeatMs", heartbeatMs);
  }

  /** @throws IllegalArgumentException when a field is missing (a message from some other program) */
  public static BackendAnnouncement fromJson(JsonObject json) {
    String name = json.getString("name");
    String url = json.getString("url");
    String instance = json.getString("instance");
    Long seq = json.getLong("seq");
    Long heartbeat = json.getLong("heartbeatMs");
    if (name == null || url == null || instance == null || instance.isEmpty() || seq == null || seq < 1
      || heartbeat == null || heartbeat <= 0) {
      throw new IllegalArgumentException("announcement needs name, url, instance, a positive seq and a positive heartbeatMs: "
        + json.encode());
    }
    JsonObject profile = json.getJsonObject("profile", new JsonObject());
    return new BackendAnnouncement(name, url, profile, instance, seq, heartbeat);
  }
}
