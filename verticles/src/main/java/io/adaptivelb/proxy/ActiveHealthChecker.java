package io.adaptivelb.proxy;

import io.adaptivelb.config.HealthConfig;
import io.adaptivelb.upstream.PoolBusyException;
import io.adaptivelb.upstream.UpstreamConnector;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;

import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Active health checks: every {@code intervalMs}, a GET of {@code path} to every live backend, through
 * the connections the traffic uses; 2xx or 3xx within {@code timeoutMs} counts as up. Results feed the
 * pool's rise/fall state. A check that finds the instance's own connection pool full says nothing about
 * the backend and counts as neither (as for passive health).
 */
final class ActiveHealthChecker {

  private static final Logger LOG = Logger.getLogger(ActiveHealthChecker.class.getName());
  private static final CharSequence MARKER = HttpHeaders.createOptimized("X-Health-Check");

  private final Vertx vertx;
  private final HealthConfig.Active settings;
  private final BackendPool pool;
  private final Supplier<UpstreamConnector> upstreams;
  private long timerId = -1;

  ActiveHealthChecker(Vertx vertx, HealthConfig.Active settings, BackendPool pool,
                      Supplier<UpstreamConnector> upstreams) {
    this.vertx = vertx;
    this.settings = settings;
    this.pool = pool;
    this.upstreams = upstreams;
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
      UpstreamProbe.get(vertx, upstreams.get(), upstream, settings.path(), MARKER, settings.timeoutMs())
        .onComplete(ar -> {
          if (ar.failed() && ar.cause() instanceof PoolBusyException) {
            return;
          }
          boolean ok = ar.succeeded() && ar.result() < 400;
          if (pool.upstream(i) == upstream && pool.checked(i, ok)) {
            LOG.info("backend " + upstream.name() + " is " + (ok ? "up" : "down")
              + " (active check " + settings.path() + ")");
          }
        });
    }
  }
}
