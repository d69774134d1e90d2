package io.adaptivelb.admin;

import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.config.RouteConfig;
import io.adaptivelb.config.StrictJson;
import io.adaptivelb.config.UpstreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The admin calls that act on one upstream group: under {@code /admin/groups/{group}/...}, and the same
 * calls without the prefix for the {@code default} group. A named group must be one some proxy of the
 * cluster routes to (404 otherwise); backend names are checked against that group, as the cluster's
 * proxies report it ({@link RoutedBackends}). The change goes on the bus with the group's name, so every
 * proxy instance in every process applies it to that group alone; this process's running config records
 * it, so a later reload compares the file with what runs.
 */
final class GroupCalls {

  private static final String GROUP = "/admin/groups/:group";

  private final Vertx vertx;
  private final AtomicReference<LabConfig> running;

  private GroupCalls(Vertx vertx, AtomicReference<LabConfig> running) {
    this.vertx = vertx;
    this.running = running;
  }

  static void mount(Router router, Vertx vertx, AtomicReference<LabConfig> running) {
    GroupCalls calls = new GroupCalls(vertx, running);
    router.get("/admin/groups").handler(calls::list);
    for (String prefix : List.of("/admin", GROUP)) {
      router.get(prefix + "/backends").handler(calls::backends);
      router.post(prefix + "/policy").handler(calls::policy);
      router.post(prefix + "/connection").handler(calls::connection);
      router.post(prefix + "/backends").handler(calls::add);
      router.delete(prefix + "/backends/:name").handler(calls::remove);
      router.post(prefix + "/backends/:name/enable").handler(ctx -> calls.enable(ctx, true));
      router.post(prefix + "/backends/:name/disable").handler(ctx -> calls.enable(ctx, false));
      router.post(prefix + "/backends/:name/weight").handler(calls::weight);
    }
  }

  /** The group the path names, {@code default} without the prefix. */
  private static String groupOf(RoutingContext ctx) {
    String group = ctx.pathParam("group");
    return group == null ? ProxyConfig.DEFAULT_GROUP : group;
  }

  /**
   * Runs {@code then} with the group once the cluster is known to route to it and, for a named group,
   * what its proxies route to. The default group always exists: calls that check no backend name act on
   * it without asking the metrics role ({@code routed} is then null).
   */
  private void inGroup(RoutingContext ctx, boolean namesBackends, BiConsumer<String, RoutedBackends> then) {
    String group = groupOf(ctx);
    if (!namesBackends && ProxyConfig.DEFAULT_GROUP.equals(group)) {
      then.accept(group, null);
      return;
    }
    RoutedBackends.ask(vertx).onComplete(ar -> {
      if (ar.failed()) {
        AdminApi.error(ctx, 503, "cannot check group and backend names: metrics role not reachable (" + ar.cause().getMessage() + ")");
      } else if (!ar.result().hasGroup(group)) {
        AdminApi.error(ctx, 404, "no group \"" + group + "\" in any proxy of the cluster (groups: "
          + String.join(", ", ar.result().groups()) + ")");
      } else {
        then.accept(group, ar.result());
      }
    });
  }

  /** Runs {@code then} when a proxy has backend {@code name} in {@code group}; a 404 that says where it is otherwise. */
  private static void backendIn(RoutingContext ctx, String group, RoutedBackends routed, Runnable then) {
    String name = ctx.pathParam("name");
    String actual = routed.groupOf(name);
    if (group.equals(actual)) {
      then.run();
    } else if (actual == null) {
      AdminApi.error(ctx, 404, "no backend named \"" + name + "\" in any proxy of the cluster");
    } else {
      AdminApi.error(ctx, 404, "backend \"" + name + "\" is in group \"" + actual + "\", not \"" + group
        + "\": use /admin/groups/" + actual + "/backends/" + name);
    }
  }

  /** Records a change of one group in this process's running config (nothing when it does not run that group). */
  private void record(String group, UnaryOperator<ProxyConfig> change) {
    running.updateAndGet(c -> c.withProxy(c.proxy().withGroupChanged(group, change)));
  }

  private void send(ConfigDiff.Command command) {
    vertx.eventBus().publish(command.address(), command.body());
  }

  private void list(RoutingContext ctx) {
    RoutedBackends.snapshot(vertx).onComplete(ar -> {
      if (ar.failed()) {
        AdminApi.error(ctx, 503, "metrics role not reachable: " + ar.cause().getMessage());
        return;
      }
      ProxyConfig proxy = running.get().proxy();
      JsonObject groups = new JsonObject();
      ar.result().getJsonObject("groups", new JsonObject()).forEach(e -> {
        JsonObject view = ((JsonObject) e.getValue()).copy();
        view.remove("totals");
        ProxyConfig configured = proxy.group(e.getKey());
        if (configured != null) {
          view.put("configured", configured(configured));
        }
        groups.put(e.getKey(), view);
      });
      AdminApi.ok(ctx, new JsonObject().put("groups", groups)
        .put("routes", new JsonArray(proxy.routes().stream().map(RouteConfig::toJson).toList())));
    });
  }

  private static JsonArray configured(ProxyConfig group) {
    return new JsonArray(group.backends().stream().map(UpstreamConfig::toJson).toList());
  }

  /** This process's config of the group (when it runs it) and every proxy instance's view of it. */
  private void backends(RoutingContext ctx) {
    inGroup(ctx, false, (group, unused) -> RoutedBackends.snapshot(vertx).onComplete(ar -> {
      if (ar.failed()) {
        AdminApi.error(ctx, 503, "metrics role not reachable: " + ar.cause().getMessage());
        return;
      }
      JsonArray proxies = new JsonArray();
      ar.result().getJsonArray("proxies").forEach(p -> {
        if (group.equals(((JsonObject) p).getString("group", ProxyConfig.DEFAULT_GROUP))) {
          proxies.add(p);
        }
      });
      JsonObject view = new JsonObject().put("group", group);
      ProxyConfig configured = running.get().proxy().group(group);
      if (configured != null) {
        view.put("policy", configured.policy().toJson()).put("connection", configured.connection().id)
          .put("configured", configured(configured));
      }
      AdminApi.ok(ctx, view.put("proxies", proxies));
    }));
  }

  private void policy(RoutingContext ctx) {
    JsonObject body = AdminApi.body(ctx);
    if (body == null) {
      return;
    }
    inGroup(ctx, false, (group, routed) -> AdminApi.answer(ctx, () -> {
      PolicyConfig policy = readPolicy(body);
      record(group, g -> g.withPolicy(policy));
      send(AdminCommands.policy(group, policy.toJson()));
      return new JsonObject().put("group", group).put("policy", policy.toJson());
    }));
  }

  private static PolicyConfig readPolicy(JsonObject body) {
    Object wrapped = body.getValue("policy");
    if (body.containsKey("policy") && !(wrapped instanceof JsonObject)) {
      throw new ConfigException("policy", "must be an object naming the policy, e.g. {\"type\":\"ewma\"}");
    }
    JsonObject policyJson = wrapped instanceof JsonObject o ? o : body;
    // A missing type would read as the config's default policy: an empty call must not switch anything.
    if (!policyJson.containsKey("type")) {
      throw new ConfigException("policy.type", "missing: name the policy to switch to, e.g. {\"type\":\"ewma\"}");
    }
    return PolicyConfig.read(new StrictJson(policyJson, "policy"));
  }

  private void connection(RoutingContext ctx) {
    JsonObject body = AdminApi.body(ctx);
    if (body == null) {
      return;
    }
    inGroup(ctx, false, (group, routed) -> AdminApi.answer(ctx, () -> {
      StrictJson json = new StrictJson(body, "").allowOnly(Set.of("connection"));
      ConnectionMode mode = ConnectionMode.of(json.oneOf("connection", null, Set.of("persistent", "non-persistent")));
      record(group, g -> g.withConnection(mode));
      send(AdminCommands.connection(group, mode.id));
      return new JsonObject().put("group", group).put("connection", mode.id);
    }));
  }

  /** A name some proxy of the cluster already routes to, in any group, is refused: an add never re-points a backend. */
  private void add(RoutingContext ctx) {
    UpstreamConfig upstream = read(ctx, body -> UpstreamConfig.read(new StrictJson(body, "backend")));
    if (upstream == null) {
      return;
    }
    String name = upstream.name();
    inGroup(ctx, true, (group, routed) -> {
      if (routed.taken(name)) {
        AdminApi.error(ctx, 409, "backend \"" + name + "\" already exists (" + routed.url(name) + ", group "
          + routed.groupOf(name) + "): remove it first (DELETE " + backendPath(routed.groupOf(name), name)
          + ") or choose another name");
        return;
      }
      record(group, g -> g.withBackends(replaced(g.backends(), name, upstream)));
      send(AdminCommands.add(group, upstream));
      AdminApi.ok(ctx, new JsonObject().put("added", name).put("url", upstream.origin()).put("group", group));
    });
  }

  private void remove(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    inGroup(ctx, true, (group, routed) -> backendIn(ctx, group, routed, () -> {
      record(group, g -> g.withBackends(replaced(g.backends(), name, null)));
      send(AdminCommands.remove(group, name));
      ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("draining", name).put("group", group)
          .put("note", "no new requests go to it; it leaves once its requests in flight have finished").encode());
    }));
  }

  private void enable(RoutingContext ctx, boolean enabled) {
    String name = ctx.pathParam("name");
    inGroup(ctx, true, (group, routed) -> backendIn(ctx, group, routed, () -> {
      send(AdminCommands.enable(group, name, enabled));
      AdminApi.ok(ctx, new JsonObject().put("name", name).put("group", group).put("enabled", enabled));
    }));
  }

  private void weight(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Integer weight = read(ctx, body -> UpstreamConfig.readWeightChange(new StrictJson(body, "")));
    if (weight == null) {
      return;
    }
    inGroup(ctx, true, (group, routed) -> backendIn(ctx, group, routed, () -> {
      record(group, g -> g.withBackends(g.backends().stream().map(u -> u.name().equals(name) ? u.withWeight(weight) : u).toList()));
      send(AdminCommands.weight(group, name, weight));
      AdminApi.ok(ctx, new JsonObject().put("name", name).put("group", group).put("weight", weight));
    }));
  }

  /** The body read by {@code reader}, or null after answering 400 (not JSON, or a config error naming the key). */
  private static <T> T read(RoutingContext ctx, java.util.function.Function<JsonObject, T> reader) {
    JsonObject body = AdminApi.body(ctx);
    if (body == null) {
      return null;
    }
    try {
      return reader.apply(body);
    } catch (ConfigException e) {
      AdminApi.error(ctx, 400, e.getMessage());
      return null;
    }
  }

  /** {@code list} without the backend {@code name}, and with {@code upstream} at the end unless it is null. */
  private static List<UpstreamConfig> replaced(List<UpstreamConfig> list, String name, UpstreamConfig upstream) {
    List<UpstreamConfig> out = new ArrayList<>(list);
    out.removeIf(u -> u.name().equals(name));
    if (upstream != null) {
      out.add(upstream);
    }
    return out;
  }

  private static String backendPath(String group, String name) {
    return (ProxyConfig.DEFAULT_GROUP.equals(group) ? "/admin" : "/admin/groups/" + group) + "/backends/" + name;
  }
}
