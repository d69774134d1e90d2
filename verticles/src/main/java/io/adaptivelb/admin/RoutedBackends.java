package io.adaptivelb.admin;

import io.adaptivelb.telemetry.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The backends the proxies of the whole cluster route to now, whether configured, added or discovered:
 * read from the metrics role, which hears every proxy instance's state. Admin commands act on every
 * proxy, so they are checked against this and not against one process's config.
 */
final class RoutedBackends {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(2_000);

  /** Per backend name, the states the proxy instances report it in (healthy, disabled, draining...). */
  private final Map<String, Set<String>> states = new HashMap<>();
  private final Map<String, String> urls = new HashMap<>();

  private RoutedBackends(JsonObject stats) {
    for (Object proxy : stats.getJsonArray("proxies")) {
      for (Object row : ((JsonObject) proxy).getJsonArray("backends")) {
        JsonObject backend = (JsonObject) row;
        String name = backend.getString("name");
        states.computeIfAbsent(name, n -> new HashSet<>()).add(backend.getString("state", ""));
        urls.putIfAbsent(name, backend.getString("url"));
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

  /** Some proxy has it, in any state (draining included). */
  boolean knows(String name) {
    return states.containsKey(name);
  }

  /** Some proxy has it and is not draining it: the name is taken. */
  boolean taken(String name) {
    return knows(name) && !states.get(name).equals(Set.of("draining"));
  }

  String url(String name) {
    return urls.get(name);
  }
}
