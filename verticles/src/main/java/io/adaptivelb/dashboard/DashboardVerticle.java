package io.adaptivelb.dashboard;

import io.adaptivelb.admin.AdminApi;
import io.adaptivelb.config.DashboardConfig;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.metrics.PrometheusRegistry;
import io.adaptivelb.telemetry.Addresses;
import io.adaptivelb.web.BearerToken;
import io.adaptivelb.web.ServerNames;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The lab's HTTP face on the dashboard port: the page ({@code /}, from {@code webroot/}) with Chart.js
 * from its WebJar ({@code /webjars/*}, so the page works offline), the live WebSocket feed
 * ({@code /ws}, see {@link LiveFeed}), the {@code /stats} JSON (asked of the metrics role over the bus,
 * wherever it runs), Prometheus {@code /metrics} and the admin API.
 */
public final class DashboardVerticle extends VerticleBase {

  private static final DeliveryOptions STATS_TIMEOUT = new DeliveryOptions().setSendTimeout(2_000);
  /** Four frames a second: smooth enough to watch, a fixed cost whatever the request rate. */
  private static final long FEED_PERIOD_MS = 250;

  private final DashboardConfig config;
  private final AtomicReference<LabConfig> running;
  private HttpServer server;
  private LiveFeed feed;

  /** @param running the config this process runs, kept current by the admin API */
  public DashboardVerticle(AtomicReference<LabConfig> running) {
    this.running = running;
    this.config = running.get().dashboard();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    BearerToken token = new BearerToken(config.adminToken());
    ServerNames serverNames = new ServerNames(config.host(), config.allowedHosts());
    // The figures: for this server's own page and for scripts, not for other sites' pages.
    ReadGuard readGuard = new ReadGuard(serverNames, token);
    router.get("/stats").handler(readGuard).handler(this::stats);
    router.get("/metrics").handler(readGuard).handler(PrometheusScrapingHandler.create(PrometheusRegistry.get()));
    AdminApi.mount(router, vertx, running, token, serverNames);
    // WebJars put their files under META-INF/resources/webjars/ on the classpath.
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    feed = new LiveFeed(vertx, FEED_PERIOD_MS, readGuard);
    // WebSocket upgrades never reach the router: the handshake handler accepts /ws and refuses the rest.
    server = vertx.createHttpServer()
      .webSocketHandshakeHandler(feed::handshake)
      .webSocketHandler(feed)
      .requestHandler(router);
    return server.listen(config.port(), config.host());
  }

  @Override
  public Future<?> stop() {
    feed.close();
    return server.close();
  }

  public int port() {
    return server.actualPort();
  }

  private void stats(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.STATS, null, STATS_TIMEOUT)
      .onSuccess(reply -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(reply.body().encodePrettily()))
      .onFailure(err -> ctx.response().setStatusCode(503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", "metrics role not reachable: " + err.getMessage()).encode()));
  }
}
