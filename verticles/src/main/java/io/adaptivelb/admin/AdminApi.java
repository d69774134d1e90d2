package io.adaptivelb.admin;

import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.ConfigSchema;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.PhaseConfig;
import io.adaptivelb.config.StrictJson;
import io.adaptivelb.web.BearerToken;
import io.adaptivelb.web.ServerNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runtime control under {@code /admin}: switch policy or connection mode, add, drain, enable, disable
 * or weigh backends (of the default group, or of the group {@code /admin/groups/{group}/...} names:
 * {@link GroupCalls}), change a simulated backend's profile, reset statistics, reload the config file.
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

  /**
   * @param token       the configured {@code dashboard.adminToken}
   * @param serverNames the names a tokenless call may give in {@code Host}
   */
  public static void mount(Router router, Vertx vertx, AtomicReference<LabConfig> running, BearerToken token,
                           ServerNames serverNames) {
    AdminApi api = new AdminApi(vertx, running);
    PolicyCatalogRoute.mount(router);
    // Access is checked before any body is read: a stranger cannot make us buffer anything.
    AdminAccess access = new AdminAccess(token);
    router.route("/admin/*").handler(access);
    router.route("/admin/*").handler(new AdminGuard(access, serverNames));
    router.route("/admin/*").handler(BodyHandler.create().setBodyLimit(256 * 1024));
    GroupCalls.mount(router, vertx, running);
    router.put("/admin/backends/:name/profile").handler(api::profile);
    router.post("/admin/stats/reset").handler(ctx -> {
      api.send(AdminCommands.resetStats());
      ok(ctx, new JsonObject().put("reset", true));
    });
    router.post("/admin/reload").handler(api::reload);
    router.get("/admin/schema").handler(api::schema);
  }

  /** An admin call's work: its answer, or a config error (a 400 naming the key). */
  interface Call {
    JsonObject run();
  }

  /** Answers with what {@code call} returns; config errors become 400s. */
  static void answer(RoutingContext ctx, Call call) {
    try {
      ok(ctx, call.run());
    } catch (ConfigException | IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
    }
  }

  /** The body as a JSON object (empty when there is none), or null after answering 400. */
  static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "body: not a JSON object");
      return null;
    }
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

  private void send(ConfigDiff.Command command) {
    vertx.eventBus().publish(command.address(), command.body());
  }

  static void ok(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("error", message).encode());
  }
}
