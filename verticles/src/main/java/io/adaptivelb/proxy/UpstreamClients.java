package io.adaptivelb.proxy;

import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.internals.VertxInternals;
import io.adaptivelb.upstream.UpstreamConnector;
import io.adaptivelb.upstream.UpstreamOptions;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.Vertx;

/** Builds the instance's upstream client for a connection mode: the proxy config mapped to the connector's options. */
final class UpstreamClients {

  private UpstreamClients() {
  }

  /** Must run on the proxy instance's event loop: the connector's connections live there. */
  static UpstreamConnector connector(Vertx vertx, ProxyConfig config, SslContext tls) {
    UpstreamOptions options = new UpstreamOptions(config.connection() == ConnectionMode.PERSISTENT,
      config.keepAliveTimeoutSec() * 1000L, config.connectTimeoutMs(), config.limits().upstreamMaxStatusLineBytes(),
      config.limits().upstreamMaxHeaderBytes(), config.maxConnectionsPerBackend(), config.maxWaitQueue());
    return new UpstreamConnector(vertx, VertxInternals.currentEventLoop(vertx), options, tls);
  }
}
