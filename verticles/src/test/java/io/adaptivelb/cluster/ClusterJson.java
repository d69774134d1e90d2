package io.adaptivelb.cluster;

import io.adaptivelb.TestLab;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Lab configs for cluster tests: loopback, ephemeral ports, a fast heartbeat so a silent backend goes in well under a second. */
final class ClusterJson {

  static final int HEARTBEAT_MS = 200;

  private ClusterJson() {
  }

  private static JsonObject cluster(boolean discovery) {
    return new JsonObject().put("discovery", discovery).put("heartbeatMs", HEARTBEAT_MS).put("missedHeartbeats", 3);
  }

  /** Simulated backends only, each answering after {@code ms}. */
  static JsonObject backends(double ms, String... names) {
    JsonArray list = new JsonArray();
    for (String name : names) {
      list.add(new JsonObject().put("name", name).put("host", "127.0.0.1").put("port", 0)
        .put("latency", TestLab.constant(ms)));
    }
    return new JsonObject().put("roles", new JsonArray().add("backends")).put("backends", list)
      .put("cluster", cluster(false));
  }

  /** A proxy (one instance, round robin) that finds its backends on the cluster, plus the given extra roles. */
  static JsonObject proxy(String... extraRoles) {
    JsonArray roles = new JsonArray().add("proxy");
    for (String role : extraRoles) {
      roles.add(role);
    }
    return new JsonObject().put("roles", roles)
      .put("proxy", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1)
        .put("policy", new JsonObject().put("type", "round-robin")))
      .put("metrics", new JsonObject().put("csv", ""))
      .put("dashboard", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("cluster", cluster(true));
  }

  /** Metrics and dashboard only: what sees the whole cluster. */
  static JsonObject observer() {
    return new JsonObject().put("roles", new JsonArray().add("metrics").add("dashboard"))
      .put("metrics", new JsonObject().put("csv", ""))
      .put("dashboard", new JsonObject().put("host", "127.0.0.1").put("port", 0));
  }

  /** The dashboard alone: its admin API acts on backends it never configured. */
  static JsonObject dashboardOnly() {
    return new JsonObject().put("roles", new JsonArray().add("dashboard"))
      .put("dashboard", new JsonObject().put("host", "127.0.0.1").put("port", 0));
  }
}
