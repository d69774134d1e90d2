package io.adaptivelb.proxy;

import io.adaptivelb.config.HealthConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Active health checks: every {@code intervalMs}, a GET of {@code path} to every live backend; 2xx or
 * 3xx within {@code timeoutMs} counts as up. Results feed the pool's rise/fall state.
 */
final class ActiveHealthChecker {

  private static final Logger LOG = Logger.getLogger(ActiveHealthChecker.class.getName());

  private final Vertx vertx;
  private final HealthConfig.Active settings;
  private final BackendPool pool;
  private final Supplier<HttpClient> client;
  private long timerId = -1;

  ActiveHealthChecker(Vertx vertx, HealthConfig.Active settings, BackendPool pool, Supplier<HttpClient> client) {
    this.vertx = vertx;
    this.settings = settings;
    this.pool = pool;
    this.client = client;
  }

  void start() {
    if (settings.enabled()) {
      timerId = vertx.setPeriodic(settings.intervalMs(), id -> checkAll());
    }
  }

  void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private void checkAll() {
    for (int i : pool.live()) {
      Upstream upstream = pool.upstream(i);
      RequestOptions options = new RequestOptions().setServer(upstream.address()).setMethod(HttpMethod.GET)
        .setURI(settings.path()).setConnectTimeout(settings.timeoutMs()).setIdleTimeout(settings.timeoutMs())
        .putHeader("X-Health-Check", "1");
      client.get().request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode() < 400))
        .otherwise(false)
        .onSuccess(ok -> {
          if (pool.upstream(i) == upstream && pool.checked(i, ok)) {
            LOG.info("backend " + upstream.name() + " is " + (ok ? "up" : "down") + " (active check " + settings.path() + ")");
          }
        });
    }
  }
}
