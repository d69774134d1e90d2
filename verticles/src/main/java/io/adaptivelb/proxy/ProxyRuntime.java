package io.adaptivelb.proxy;

import io.adaptivelb.accesslog.AccessLog;
import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.health.RetryBudget;
import io.adaptivelb.telemetry.TelemetryPublisher;
import io.adaptivelb.upstream.UpstreamConnector;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

import java.util.concurrent.TimeUnit;

/**
 * What every exchange of one proxy instance shares, and what the admin API may change while traffic
 * flows: the connection mode (new upstream connections; the old ones finish their requests first) and,
 * through the pool, the policy and the backend set. All of it belongs to the instance's event loop.
 */
final class ProxyRuntime {

  final ProxyConfig config;
  final BackendPool pool;
  final TelemetryPublisher telemetry;
  final RequestIds ids;
  final RetryBudget retryBudget;
  final TryTimeouts tryTimeouts;
  /** Whether clients reach this instance over TLS (the server's option; never per connection). */
  boolean clientTls;
  /** The operators' access log, shared with the process's other instances; null when off. */
  AccessLog accessLog;
  /** The upstream group this runtime serves ({@code default} for {@code proxy.backends}). */
  String group = ProxyConfig.DEFAULT_GROUP;
  private final Vertx vertx;
  private HttpClient client;
  private UpstreamConnector upstreams;
  private ConnectionMode mode;

  ProxyRuntime(Vertx vertx, ProxyConfig config, BackendPool pool, TelemetryPublisher telemetry, RequestIds ids,
               RetryBudget retryBudget) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.telemetry = telemetry;
    this.ids = ids;
    this.retryBudget = retryBudget;
    this.tryTimeouts = new TryTimeouts(vertx, config.perTryTimeoutMs());
    this.mode = config.connection();
    this.client = UpstreamClients.create(vertx, config);
    this.upstreams = UpstreamClients.connector(vertx, config);
  }

  /** Where forwarded requests get their backend connections (this instance's event loop only). */
  UpstreamConnector upstreams() {
    return upstreams;
  }

  /** Vert.x's client, for warm-up probes and active health checks: off the forwarding path. */
  HttpClient client() {
    return client;
  }

  ConnectionMode mode() {
    return mode;
  }

  void switchMode(ConnectionMode newMode) {
    if (newMode == mode) {
      return;
    }
    HttpClient old = client;
    UpstreamConnector oldUpstreams = upstreams;
    mode = newMode;
    client = UpstreamClients.create(vertx, config.withConnection(newMode));
    upstreams = UpstreamClients.connector(vertx, config.withConnection(newMode));
    // Requests already on the old connections finish there; no request is dropped by the switch.
    old.shutdown(config.perTryTimeoutMs(), TimeUnit.MILLISECONDS);
    oldUpstreams.close();
  }

  long timer(long delayMs, io.vertx.core.Handler<Long> handler) {
    return vertx.setTimer(delayMs, handler);
  }

  void cancelTimer(long id) {
    vertx.cancelTimer(id);
  }

  void close() {
    tryTimeouts.close();
    client.close();
    upstreams.close();
  }
}
