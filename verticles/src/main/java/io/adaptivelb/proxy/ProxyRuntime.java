package io.adaptivelb.proxy;

import io.adaptivelb.accesslog.AccessLog;
import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.health.RetryBudget;
import io.adaptivelb.telemetry.TelemetryPublisher;
import io.adaptivelb.upstream.UpstreamConnector;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

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
  final RetryRule retryRule;
  final TryTimeouts tryTimeouts;
  /** Silence between the body bytes of an event stream (proxy.streaming.idleTimeoutMs). */
  final TryTimeouts streamTimeouts;
  /** Wait for a long poll's response headers (proxy.streaming.longPollTimeoutMs). */
  final TryTimeouts longPollTimeouts;
  /** Client silence while an HTTP/2 stream owes body bytes (proxy.limits.bodyIdleTimeoutMs; HTTP/1: the decoder's). */
  final TryTimeouts bodyIdleTimeouts;
  /** Whether clients reach this instance over TLS (the server's option; never per connection). */
  boolean clientTls;
  /** The operators' access log, shared with the process's other instances; null when off. */
  AccessLog accessLog;
  /** The upstream group this runtime serves ({@code default} for {@code proxy.backends}). */
  String group = ProxyConfig.DEFAULT_GROUP;
  /** Whether a {@code Via} header goes both ways (proxy.via). */
  final ForwardedHeaders forwarded;
  /** Tunnels (WebSockets) open through this instance and group, ended by a stop before their records are lost. */
  final Set<Tunnel> tunnels = new HashSet<>();
  final Vertx vertx;
  private final SslContext upstreamTls;
  private UpstreamConnector upstreams;
  private ConnectionMode mode;

  ProxyRuntime(Vertx vertx, ProxyConfig config, BackendPool pool, TelemetryPublisher telemetry, RequestIds ids,
               RetryBudget retryBudget) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.telemetry = telemetry;
    this.ids = ids;
    this.retryRule = new RetryRule(config.retries().maxAttempts(), retryBudget);
    this.tryTimeouts = new TryTimeouts(vertx, config.perTryTimeoutMs());
    this.streamTimeouts = new TryTimeouts(vertx, config.streaming().idleTimeoutMs());
    this.longPollTimeouts = new TryTimeouts(vertx, config.streaming().longPollTimeoutMs());
    this.bodyIdleTimeouts = new TryTimeouts(vertx, config.limits().bodyIdleTimeoutMs());
    this.mode = config.connection();
    this.forwarded = new ForwardedHeaders(config.protocols().via());
    this.upstreamTls = UpstreamTls.context(config.protocols().upstreamTls());
    this.upstreams = UpstreamClients.connector(vertx, config, upstreamTls);
  }

  /** Where requests, warm-up probes and health checks get backend connections (this event loop only). */
  UpstreamConnector upstreams() {
    return upstreams;
  }

  ConnectionMode mode() {
    return mode;
  }

  void switchMode(ConnectionMode newMode) {
    if (newMode == mode) {
      return;
    }
    UpstreamConnector old = upstreams;
    mode = newMode;
    upstreams = UpstreamClients.connector(vertx, config.withConnection(newMode), upstreamTls);
    // Requests already on the old connections finish there; no request is dropped by the switch.
    old.close();
  }

  /**
   * The instance stops and the server's shutdown is over: tunnels still open (Vert.x is closing their
   * client sockets now) end here, so their records go out before the telemetry closes.
   */
  void endTunnels() {
    new ArrayList<>(tunnels).forEach(Tunnel::cut);
  }

  void close() {
    tryTimeouts.close();
    streamTimeouts.close();
    longPollTimeouts.close();
    bodyIdleTimeouts.close();
    upstreams.close();
  }
}
