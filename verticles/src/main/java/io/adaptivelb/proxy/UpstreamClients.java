package io.adaptivelb.proxy;

import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.upstream.UpstreamConnector;
import io.adaptivelb.upstream.UpstreamOptions;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

/** Builds the upstream side for a connection mode: the forwarding connector, and Vert.x's client for probes. */
final class UpstreamClients {

  private UpstreamClients() {
  }

  static HttpClient create(Vertx vertx, ProxyConfig config) {
    boolean persistent = config.connection() == ConnectionMode.PERSISTENT;
    HttpClientOptions options = new HttpClientOptions()
      .setKeepAlive(persistent)
      .setKeepAliveTimeout(config.keepAliveTimeoutSec())
      .setPipelining(false)
      .setDecompressionSupported(false)
      .setTcpNoDelay(true)
      .setConnectTimeout(config.connectTimeoutMs())
      // a backend's oversized status line or headers fail the exchange (502), like garbage would (#7)
      .setMaxInitialLineLength(config.limits().upstreamMaxStatusLineBytes())
      .setMaxHeaderSize(config.limits().upstreamMaxHeaderBytes());
    UpstreamTls.apply(options, config.protocols().upstreamTls());
    PoolOptions pool = new PoolOptions()
      .setHttp1MaxSize(config.maxConnectionsPerBackend())
      .setMaxWaitQueueSize(config.maxWaitQueue());
    return vertx.httpClientBuilder().with(options).with(pool).build();
  }

  /** Must run on the proxy instance's event loop: the connector's connections live there. */
  static UpstreamConnector connector(Vertx vertx, ProxyConfig config, SslContext tls) {
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    UpstreamOptions options = new UpstreamOptions(config.connection() == ConnectionMode.PERSISTENT,
      config.keepAliveTimeoutSec() * 1000L, config.connectTimeoutMs(), config.limits().upstreamMaxStatusLineBytes(),
      config.limits().upstreamMaxHeaderBytes(), config.maxConnectionsPerBackend(), config.maxWaitQueue());
    return new UpstreamConnector((VertxInternal) vertx, context.nettyEventLoop(), options, tls);
  }
}
