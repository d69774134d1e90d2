package io.adaptivelb.admin;

import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.ConfigSchema;
import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.PhaseConfig;
import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.StrictJson;
import io.adaptivelb.config.UpstreamConfig;
import io.adaptivelb.telemetry.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runtime control under {@code /admin}: switch policy or connection mode, add, drain, enable or
 * disable backends, change a simulated backend's profile, reset statistics, reload the config file.
 * Every input is validated with the config readers first: a bad call gets a 400 naming the key and
 * changes nothing. Changes travel on the bus, so they reach every proxy instance in every process.
 */
public final class AdminApi {

  /** System property the launcher sets to the absolute path of {@code -conf FILE}, for reload. */
  public static final String CONF_PATH_PROPERTY = "adaptivelb.conf";

  private final Vertx vertx;
  private final AtomicReference<LabConfig> running;
  private Future<String> schema;

  private AdminApi(Vertx vertx, AtomicReference<LabConfig> running) {
    this.vertx = vertx;
    this.running = running;
  }

  public static void mount(Router router, Vertx vertx, AtomicReference<LabConfig> running) {
    AdminApi api = new AdminApi(vertx, running);
    // Access is checked before any body is read: a stranger cannot make us buffer anything.
    router.route("/admin/*").handler(new AdminAccess(running.get().dashboard().adminToken()));
    router.route("/admin/*").handler(BodyHandler.create().setBodyLimit(256 * 1024));
    router.get("/admin/backends").handler(api::backends);
    router.post("/admin/policy").handler(ctx -> api.json(ctx, api::policy));
    router.post("/admin/connection").handler(ctx -> api.json(ctx, api::connection));
    router.post("/admin/backends").handler(ctx -> api.json(ctx, api::add));
    router.delete("/admin/backends/:name").handler(api::remove);
    router.post("/admin/backends/:name/enable").handler(ctx -> api.enable(ctx, true));
    router.post("/admin/backends/:name/disable").handler(ctx -> api.enable(ctx, false));
    router.put("/admin/backends/:name/profile").handler(ctx -> api.json(ctx, body -> api.profile(ctx.pathParam("name"), body)));
    router.post("/admin/stats/reset").handler(ctx -> {
      api.send(AdminCommands.resetStats());
      ok(ctx, new JsonObject().put("reset", true));
    });
    router.post("/admin/reload").handler(api::reload);
    router.get("/admin/schema").handler(api::schema);
  }

  private interface Action {
    JsonObject apply(JsonObject body);
  }

  /** Parses the body as a JSON object and runs the action; config errors become 400s. */
  private void json(RoutingContext ctx, Action action) {
    JsonObject body;
    try {
      body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "body: not a JSON object");
      return;
    }
    try {
      ok(ctx, action.apply(body == null ? new JsonObject() : body));
    } catch (ConfigException | IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
    }
  }

  private JsonObject policy(JsonObject body) {
    JsonObject policyJson = body.containsKey("policy") ? body.getJsonObject("policy") : body;
    PolicyConfig policy = PolicyConfig.read(new StrictJson(policyJson, "policy"));
    running.updateAndGet(c -> c.withProxy(c.proxy().withPolicy(policy)));
    send(AdminCommands.policy(policy.toJson()));
    return new JsonObject().put("policy", policy.toJson());
  }

  private JsonObject connection(JsonObject body) {
    StrictJson json = new StrictJson(body, "").allowOnly(Set.of("connection"));
    ConnectionMode mode = ConnectionMode.of(json.oneOf("connection", null, Set.of("persistent", "non-persistent")));
    running.updateAndGet(c -> c.withProxy(c.proxy().withConnection(mode)));
    send(AdminCommands.connection(mode.id));
    return new JsonObject().put("connection", mode.id);
  }

  private JsonObject add(JsonObject body) {
    UpstreamConfig upstream = UpstreamConfig.read(new StrictJson(body, "backend"));
    running.updateAndGet(c -> {
      List<UpstreamConfig> list = new ArrayList<>(c.proxy().backends());
      list.removeIf(u -> u.name().equals(upstream.name()));
      list.add(upstream);
      return c.withProxy(c.proxy().withBackends(list));
    });
    send(AdminCommands.add(upstream));
    return new JsonObject().put("added", upstream.name()).put("url", upstream.origin());
  }

  private void remove(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (!known(name)) {
      error(ctx, 404, "no backend named \"" + name + "\"");
      return;
    }
    running.updateAndGet(c -> {
      List<UpstreamConfig> list = new ArrayList<>(c.proxy().backends());
      list.removeIf(u -> u.name().equals(name));
      return c.withProxy(c.proxy().withBackends(list));
    });
    send(AdminCommands.remove(name));
    ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("draining", name)
        .put("note", "no new requests go to it; it leaves once its requests in flight have finished").encode());
  }

  private void enable(RoutingContext ctx, boolean enabled) {
    String name = ctx.pathParam("name");
    if (!known(name)) {
      error(ctx, 404, "no backend named \"" + name + "\"");
      return;
    }
    send(AdminCommands.enable(name, enabled));
    ok(ctx, new JsonObject().put("name", name).put("enabled", enabled));
  }

  private JsonObject profile(String name, JsonObject body) {
    if (running.get().backends().stream().noneMatch(b -> b.name().equals(name))) {
      throw new IllegalArgumentException("no simulated backend named \"" + name + "\" in this process's config");
    }
    PhaseConfig change = PhaseConfig.readChange(new StrictJson(body, "profile"));
    JsonObject applied = new JsonObject();
    if (change.latency() != null) {
      applied.put("latency", change.latency().toJson());
    }
    if (change.capacity() != null) {
      applied.put("capacity", change.capacity());
    }
    if (change.errorRate() != null) {
      applied.put("errorRate", change.errorRate());
    }
    send(AdminCommands.profile(name, applied));
    return applied.copy().put("name", name);
  }

  private void reload(RoutingContext ctx) {
    String path = ConfigReload.confPath();
    if (path == null) {
      error(ctx, 409, "no config file to reload: the lab was started without -conf FILE");
      return;
    }
    ConfigReload.apply(vertx, running, path)
      .onSuccess(result -> ok(ctx, result))
      .onFailure(err -> error(ctx, 400, "reload refused, running config unchanged: " + err.getMessage()));
  }

  /** Made on first request, off the event loop (it reads a dozen probe configs), then kept. */
  private void schema(RoutingContext ctx) {
    if (schema == null) {
      schema = vertx.executeBlocking(() -> ConfigSchema.generate().encodePrettily());
    }
    schema.onSuccess(text -> ctx.response().putHeader("Content-Type", "application/schema+json").end(text))
      .onFailure(err -> error(ctx, 500, "schema: " + err.getMessage()));
  }

  private void backends(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.STATS, null, new DeliveryOptions().setSendTimeout(2_000))
      .onSuccess(reply -> {
        JsonObject stats = reply.body();
        ok(ctx, new JsonObject()
          .put("policy", running.get().proxy().policy().toJson())
          .put("connection", running.get().proxy().connection().id)
          .put("configured", new JsonArray(running.get().proxy().backends().stream()
            .map(UpstreamConfig::toJson).toList()))
          .put("proxies", stats.getJsonArray("proxies")));
      })
      .onFailure(err -> error(ctx, 503, "metrics role not reachable: " + err.getMessage()));
  }

  private boolean known(String name) {
    return running.get().proxy().backends().stream().anyMatch(u -> u.name().equals(name));
  }

  private void send(ConfigDiff.Command command) {
    vertx.eventBus().publish(command.address(), command.body());
  }

  private static void ok(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("error", message).encode());
  }
}
