package io.adaptivelb.proxy;

import io.adaptivelb.config.LimitsConfig;
import io.adaptivelb.internals.VertxInternals;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts {@link StrictRequestDecoder} in place of Vert.x's request decoder on every new client
 * connection, with the {@link ResponseProgress} it consults. Vert.x has no public hook for the
 * decoder, so this reaches into the connection's Netty pipeline (through {@link VertxInternals}, and
 * the handler names {@code httpDecoder} and {@code httpEncoder}); the edge
 * tests fail loudly if an upgrade moves them. The connection handler runs before the first read,
 * so no byte has gone through the stock decoder yet.
 */
final class ClientEdge {

  private static final String DECODER = "httpDecoder";
  private static final String ENCODER = "httpEncoder";

  private ClientEdge() {
  }

  /**
   * Server options for the limits Vert.x enforces itself; HTTP/1.x only (no h2c upgrade around the checks).
   * No Vert.x idle timeout: the decoder keeps {@code clientIdleTimeoutSec} on its own per-connection timer.
   */
  static HttpServerOptions apply(HttpServerOptions options, LimitsConfig limits) {
    return options
      .setMaxInitialLineLength(limits.maxRequestLineBytes())
      .setMaxHeaderSize(limits.maxHeaderBytes())
      .setHttp2ClearTextEnabled(false)
      .setHandle100ContinueAutomatically(false);
  }

  static void install(HttpConnection connection, HttpServerOptions options, LimitsConfig limits, AtomicInteger open) {
    ChannelPipeline pipeline = VertxInternals.channel(connection).pipeline();
    if (pipeline.get(DECODER) == null) {
      throw new IllegalStateException("no " + DECODER + " in the client pipeline: " + pipeline.names());
    }
    if (pipeline.get(ENCODER) == null) {
      throw new IllegalStateException("no " + ENCODER + " in the client pipeline: " + pipeline.names());
    }
    // After the encoder on the way out, so it sees Vert.x's response objects rather than bytes.
    ResponseProgress responses = new ResponseProgress();
    pipeline.addAfter(ENCODER, "responseProgress", responses);
    pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options, limits, open, responses));
  }

  /** One counter for every proxy instance of this process listening on the same address. */
  static AtomicInteger openConnections(Vertx vertx, String host, int port) {
    return vertx.sharedData().<String, Counter>getLocalMap("adaptivelb.client-connections")
      .computeIfAbsent(host + ":" + port, key -> new Counter()).open;
  }

  private static final class Counter implements Shareable {
    final AtomicInteger open = new AtomicInteger();
  }
}
