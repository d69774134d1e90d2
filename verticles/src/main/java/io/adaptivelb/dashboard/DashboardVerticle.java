package io.adaptivelb.dashboard;

import io.adaptivelb.config.DashboardConfig;
import io.adaptivelb.metrics.PrometheusRegistry;
import io.adaptivelb.telemetry.Addresses;
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

/**
 * The lab's HTTP face on the dashboard port: the page ({@code /}), the {@code /stats} JSON (asked
 * of the metrics role over the bus, wherever it runs) and Prometheus {@code /metrics}.
 */
public final class DashboardVerticle extends VerticleBase {

  private static final DeliveryOptions STATS_TIMEOUT = new DeliveryOptions().setSendTimeout(2_000);

  private final DashboardConfig config;
  private HttpServer server;

  public DashboardVerticle(DashboardConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/stats").handler(this::stats);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(PrometheusRegistry.get()));
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(config.port(), config.host());
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
