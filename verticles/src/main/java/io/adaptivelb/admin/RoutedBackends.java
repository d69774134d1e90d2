package io.adaptivelb.admin;

import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.telemetry.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The upstream groups and backends the proxies of the whole cluster route to now, whether configured,
 * added or discovered: read from the metrics role, which hears every proxy instance's state. Admin
 * commands act on every proxy, so they are checked against this and not against one process's config.
 */
final class RoutedBackends {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(2_000);

  /** Per backend name, the states the proxy instances report it in (healthy, disabled, draining...). */
  private final Map<String, Set<String>> states = new HashMap<>();
  private final Map<String, String> urls = new HashMap<>();
  /** Per backend name, its group (names are unique across groups). */
  private final Map<String, String> groupOf = new HashMap<>();
  private final Set<String> groups = new TreeSet<>();

  private RoutedBackends(JsonObject stats) {
    for (Object proxy : stats.getJsonArray("proxies")) {
      String group = ((JsonObject) proxy).getString("group", ProxyConfig.DEFAULT_GROUP);
      groups.add(group);
      for (Object row : ((JsonObject) proxy).getJsonArray("backends")) {
        JsonObject backend = (JsonObject) row;
        String name = backend.getString("name");
        states.computeIfAbsent(name, n -> new HashSet<>()).add(backend.getString("state", ""));
        urls.putIfAbsent(name, backend.getString("url"));
        groupOf.putIfAbsent(name, group);
      }
    }
  }

  /** The {@code /stats} snapshot; fails when no metrics role answers anywhere in the cluster. */
  static Future<JsonObject> snapshot(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.STATS, null, TIMEOUT).map(reply -> reply.body());
  }

  static Future<RoutedBackends> ask(Vertx vertx) {
    return snapshot(vertx).map(RoutedBackends::new);
  }

  /** Some proxy routes to this group; the default group always exists, with or without backends. */
  boolean hasGroup(String group) {
    return ProxyConfig.DEFAULT_GROUP.equals(group) || groups.contains(group);
  }

  /** Every group some proxy routes to, the default one included, by name. */
  Set<String> groups() {
    Set<String> all = new TreeSet<>(groups);
    all.add(ProxyConfig.DEFAULT_GROUP);
    return all;
  }

  /** Some proxy has it, in any state (draining included), in any group. */
  boolean knows(String name) {
    return states.containsKey(name);
  }

  /** The group some proxy has it in; null when none has it. */
  String groupOf(String name) {
    return groupOf.get(name);
  }

  /** Some proxy has it and is not draining it: the name is taken, in every group. */
  boolean taken(String name) {
    return knows(name) && !states.get(name).equals(Set.of("draining"));
  }

  String url(String name) {
    return urls.get(name);
  }
}
