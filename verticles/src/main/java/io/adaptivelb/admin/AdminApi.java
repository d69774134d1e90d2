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
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
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
 * changes nothing. Changes travel on the bus, so they reach every proxy instance in every process, and
 * backend names are checked against the cluster, not this process's config: against what the proxies
 * route to ({@link RoutedBackends}) and, for a profile, by the simulated backend itself. Who may call
 * and how is {@link AdminAccess} and {@link AdminGuard}.
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
    PolicyCatalogRoute.mount(router);
    // Access is checked before any body is read: a stranger cannot make us buffer anything.
    AdminAccess access = new AdminAccess(running.get().dashboard().adminToken());
    router.route("/admin/*").handler(access);
    router.route("/admin/*").handler(new AdminGuard(access, running.get().dashboard()));
    router.route("/admin/*").handler(BodyHandler.create().setBodyLimit(256 * 1024));
    router.get("/admin/backends").handler(api::backends);
    router.post("/admin/policy").handler(ctx -> api.json(ctx, api::policy));
    router.post("/admin/connection").handler(ctx -> api.json(ctx, api::connection));
    router.post("/admin/backends").handler(api::add);
    router.delete("/admin/backends/:name").handler(api::remove);
    router.post("/admin/backends/:name/enable").handler(ctx -> api.enable(ctx, true));
    router.post("/admin/backends/:name/disable").handler(ctx -> api.enable(ctx, false));
    router.put("/admin/backends/:name/profile").handler(api::profile);
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
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    try {
      ok(ctx, action.apply(body));
    } catch (ConfigException | IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
    }
  }

  /** The body as a JSON object (empty when there is none), or null after answering 400. */
  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "body: not a JSON object");
      return null;
    }
  }

  private JsonObject policy(JsonObject body) {
    Object wrapped = body.getValue("policy");
    if (body.containsKey("policy") && !(wrapped instanceof JsonObject)) {
      throw new ConfigException("policy", "must be an object naming the policy, e.g. {\"type\":\"ewma\"}");
    }
    JsonObject policyJson = wrapped instanceof JsonObject o ? o : body;
    // A missing type would read as the config's default policy: an empty call must not switch anything.
    if (!policyJson.containsKey("type")) {
      throw new ConfigException("policy.type", "missing: name the policy to switch to, e.g. {\"type\":\"ewma\"}");
    }
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

  /** A name some proxy of the cluster already routes to is refused: an add never re-points a backend. */
  private void add(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    UpstreamConfig upstream;
    try {
      upstream = UpstreamConfig.read(new StrictJson(body, "backend"));
    } catch (ConfigException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    String name = upstream.name();
    checked(ctx, routed -> {
      if (routed.taken(name)) {
        error(ctx, 409, "backend \"" + name + "\" already exists (" + routed.url(name)
          + "): remove it first (DELETE /admin/backends/" + name + ") or choose another name");
        return;
      }
      running.updateAndGet(c -> {
        List<UpstreamConfig> list = new ArrayList<>(c.proxy().backends());
        list.removeIf(u -> u.name().equals(name));
        list.add(upstream);
        return c.withProxy(c.proxy().withBackends(list));
      });
      send(AdminCommands.add(upstream));
      ok(ctx, new JsonObject().put("added", name).put("url", upstream.origin()));
    });
  }

  private void remove(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    checked(ctx, routed -> {
      if (!routed.knows(name)) {
        notRouted(ctx, name);
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
    });
  }

  private void enable(RoutingContext ctx, boolean enabled) {
    String name = ctx.pathParam("name");
    checked(ctx, routed -> {
      if (!routed.knows(name)) {
        notRouted(ctx, name);
        return;
      }
      send(AdminCommands.enable(name, enabled));
      ok(ctx, new JsonObject().put("name", name).put("enabled", enabled));
    });
  }

  /** Runs {@code then} with what the cluster's proxies route to, or answers 503 when nobody can tell. */
  private void checked(RoutingContext ctx, Handler<RoutedBackends> then) {
    RoutedBackends.ask(vertx).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, 503, "cannot check backend names: metrics role not reachable (" + ar.cause().getMessage() + ")");
      } else {
        then.handle(ar.result());
      }
    });
  }

  private static void notRouted(RoutingContext ctx, String name) {
    error(ctx, 404, "no backend named \"" + name + "\" in any proxy of the cluster");
  }

  /** Asks the simulated backend itself, wherever in the cluster it runs: its answer is the check. */
  private void profile(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    JsonObject applied = new JsonObject();
    try {
      PhaseConfig change = PhaseConfig.readChange(new StrictJson(body, "profile"));
      if (change.latency() != null) {
        applied.put("latency", change.latency().toJson());
      }
      if (change.capacity() != null) {
        applied.put("capacity", change.capacity());
      }
      if (change.errorRate() != null) {
        applied.put("errorRate", change.errorRate());
      }
    } catch (ConfigException | IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    ConfigDiff.Command command = AdminCommands.profile(name, applied);
    vertx.eventBus().<JsonObject>request(command.address(), command.body(), new DeliveryOptions().setSendTimeout(2_000))
      .onSuccess(reply -> ok(ctx, applied.copy().put("name", name).put("profile", reply.body().getJsonObject("profile"))))
      .onFailure(err -> {
        if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
          error(ctx, 404, "no simulated backend named \"" + name + "\" in the cluster");
        } else if (err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
          error(ctx, 400, re.getMessage());
        } else {
          error(ctx, 504, "simulated backend " + name + " did not answer: " + err.getMessage());
        }
      });
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
    RoutedBackends.snapshot(vertx)
      .onSuccess(stats -> ok(ctx, new JsonObject()
        .put("policy", running.get().proxy().policy().toJson())
        .put("connection", running.get().proxy().connection().id)
        .put("configured", new JsonArray(running.get().proxy().backends().stream()
          .map(UpstreamConfig::toJson).toList()))
        .put("proxies", stats.getJsonArray("proxies"))))
      .onFailure(err -> error(ctx, 503, "metrics role not reachable: " + err.getMessage()));
  }

  private void send(ConfigDiff.Command command) {
    vertx.eventBus().publish(command.address(), command.body());
  }

  private static void ok(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("error", message).encode());
  }
}
