package io.vertx.core.http.impl;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.VertxHandler;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * adaptive-lb's bridge into Vert.x 5's package-private HTTP/2 server set-up, for h2c with prior
 * knowledge. Vert.x's own h2c detection runs before the server's connection handler, so an HTTP/1
 * connection's first request would be parsed by Vert.x's stock decoder before the proxy could put its
 * strict one in place. The proxy therefore keeps Vert.x's h2c off, sniffs the connection preface itself
 * (see {@code io.adaptivelb.proxy.H2cPreface}), and when it sees one hands the connection over to an
 * HTTP/2 handler built here exactly as Vert.x builds it for its own h2c. It lives in Vert.x's package
 * because the builder is package-private; the version is pinned by the Vert.x BOM and the h2c tests
 * fail loudly if an upgrade changes these internals.
 */
public final class H2cHandover {

  private static final Logger LOG = Logger.getLogger(H2cHandover.class.getName());

  private final HttpServerImpl server;
  private final HttpServerOptions options;
  private final HttpServerConnectionHandler handlers;

  /** The same handlers the server was given: requests, refused requests, new connections. */
  public H2cHandover(HttpServer server, HttpServerOptions options, Handler<HttpServerRequest> requests,
                     Handler<HttpServerRequest> invalidRequests, Handler<HttpConnection> connections) {
    this.server = (HttpServerImpl) server;
    this.options = options;
    this.handlers = new HttpServerConnectionHandler(this.server, requests, invalidRequests, null, null, connections,
      e -> LOG.log(Level.FINE, "HTTP/2 connection failure", e));
  }

  /**
   * Replaces the connection handler of {@code pipeline} (an HTTP/1 one whose protocol handlers the
   * caller has removed) with Vert.x's HTTP/2 server handler; the preface read so far goes in next.
   */
  public void handOver(ChannelPipeline pipeline, ContextInternal context) {
    String origin = "http://" + options.getHost() + ":" + server.actualPort();
    HttpServerConnectionInitializer initializer = new HttpServerConnectionInitializer(context, context.threadingModel(),
      context::duplicate, server, context.owner(), options, origin, handlers, handlers.exceptionHandler, null);
    pipeline.replace(VertxHandler.class, "handler", initializer.buildHttp2ConnectionHandler());
    initializer.configureHttp2Pipeline(pipeline);
  }
}
