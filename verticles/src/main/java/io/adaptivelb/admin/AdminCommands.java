package io.adaptivelb.admin;

import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.config.RouteConfig;
import io.adaptivelb.config.UpstreamConfig;
import io.adaptivelb.control.ControlAddresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The bus messages the admin API sends; their shapes are documented in docs/architecture.md. A command
 * for an upstream group other than the default one names it in {@code "group"}.
 */
final class AdminCommands {

  private AdminCommands() {
  }

  static ConfigDiff.Command policy(String group, JsonObject policy) {
    return proxy(group, new JsonObject().put("op", "policy").put("policy", policy));
  }

  static ConfigDiff.Command connection(String group, String mode) {
    return proxy(group, new JsonObject().put("op", "connection").put("connection", mode));
  }

  static ConfigDiff.Command add(String group, UpstreamConfig upstream) {
    return proxy(group, new JsonObject().put("op", "add").put("backend", upstream.toJson()));
  }

  /** Every proxy instance reads its certificate and key files again (same paths, renewed contents). */
  static ConfigDiff.Command reloadCertificates() {
    return proxy(ProxyConfig.DEFAULT_GROUP, new JsonObject().put("op", "tls-reload"));
  }

  static ConfigDiff.Command remove(String group, String name) {
    return proxy(group, new JsonObject().put("op", "remove").put("name", name));
  }

  static ConfigDiff.Command enable(String group, String name, boolean enabled) {
    return proxy(group, new JsonObject().put("op", enabled ? "enable" : "disable").put("name", name));
  }

  static ConfigDiff.Command weight(String group, String name, int weight) {
    return proxy(group, new JsonObject().put("op", "weight").put("name", name).put("weight", weight));
  }

  /** Adds the group, or rebuilds it with these settings (every key a group sets). */
  static ConfigDiff.Command group(String group, ProxyConfig settings) {
    return proxy(group, new JsonObject().put("op", "group").put("config", settings.groupJson()));
  }

  static ConfigDiff.Command removeGroup(String group) {
    return proxy(group, new JsonObject().put("op", "remove-group"));
  }

  static ConfigDiff.Command routes(List<RouteConfig> routes) {
    return proxy(ProxyConfig.DEFAULT_GROUP, new JsonObject().put("op", "routes")
      .put("routes", new JsonArray(routes.stream().map(RouteConfig::toJson).toList())));
  }

  static ConfigDiff.Command profile(String backend, JsonObject change) {
    return new ConfigDiff.Command(ControlAddresses.backend(backend), change.copy());
  }

  static ConfigDiff.Command resetStats() {
    return new ConfigDiff.Command(ControlAddresses.METRICS, new JsonObject().put("op", "reset"));
  }

  private static ConfigDiff.Command proxy(String group, JsonObject body) {
    if (!ProxyConfig.DEFAULT_GROUP.equals(group)) {
      body.put("group", group);
    }
    return new ConfigDiff.Command(ControlAddresses.PROXY, body);
  }
}
