package io.adaptivelb.admin;

import io.adaptivelb.config.UpstreamConfig;
import io.adaptivelb.control.ControlAddresses;
import io.vertx.core.json.JsonObject;

/** The bus messages the admin API sends; their shapes are documented in the README. */
final class AdminCommands {

  private AdminCommands() {
  }

  static ConfigDiff.Command policy(JsonObject policy) {
    return proxy(new JsonObject().put("op", "policy").put("policy", policy));
  }

  static ConfigDiff.Command connection(String mode) {
    return proxy(new JsonObject().put("op", "connection").put("connection", mode));
  }

  static ConfigDiff.Command add(UpstreamConfig upstream) {
    return proxy(new JsonObject().put("op", "add").put("backend", upstream.toJson()));
  }

  /** Every proxy instance reads its certificate and key files again (same paths, renewed contents). */
  static ConfigDiff.Command reloadCertificates() {
    return proxy(new JsonObject().put("op", "tls-reload"));
  }

  static ConfigDiff.Command remove(String name) {
    return proxy(new JsonObject().put("op", "remove").put("name", name));
  }

  static ConfigDiff.Command enable(String name, boolean enabled) {
    return proxy(new JsonObject().put("op", enabled ? "enable" : "disable").put("name", name));
  }

  static ConfigDiff.Command profile(String backend, JsonObject change) {
    return new ConfigDiff.Command(ControlAddresses.backend(backend), change.copy());
  }

  static ConfigDiff.Command resetStats() {
    return new ConfigDiff.Command(ControlAddresses.METRICS, new JsonObject().put("op", "reset"));
  }

  private static ConfigDiff.Command proxy(JsonObject body) {
    return new ConfigDiff.Command(ControlAddresses.PROXY, body);
  }
}
