package io.adaptivelb.proxy;

import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.config.ProxyConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/** Builds the upstream HTTP client for a connection mode. */
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
    PoolOptions pool = new PoolOptions()
      .setHttp1MaxSize(config.maxConnectionsPerBackend())
      .setMaxWaitQueueSize(config.maxWaitQueue());
    return vertx.httpClientBuilder().with(options).with(pool).build();
  }
}
