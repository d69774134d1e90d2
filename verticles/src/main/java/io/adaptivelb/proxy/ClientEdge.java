package io.adaptivelb.proxy;

import io.adaptivelb.config.LimitsConfig;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http2ServerConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts {@link StrictRequestDecoder} in place of Vert.x's request decoder on every new client
 * connection, with the {@link ResponseProgress} it consults. Vert.x has no public hook for the
 * decoder, so this reaches into the connection's Netty pipeline (Vert.x 5 internals:
 * {@code ConnectionBase}, the handler names {@code httpDecoder} and {@code httpEncoder}); the edge
 * tests fail loudly if an upgrade moves them. The connection handler runs before the first read,
 * so no byte has gone through the stock decoder yet.
 */
final class ClientEdge {

  private static final String DECODER = "httpDecoder";
  private static final String ENCODER = "httpEncoder";
  private static final String HANDLER = "handler";

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
      .setInitialSettings(new Http2Settings().setMaxHeaderListSize(limits.maxHeaderBytes()))
      .setHttp2ClearTextEnabled(false)
      .setHandle100ContinueAutomatically(false);
  }

  static void install(HttpConnection connection, HttpServerOptions options, LimitsConfig limits, AtomicInteger open) {
    ChannelPipeline pipeline = ((ConnectionBase) connection).channelHandlerContext().pipeline();
    if (connection instanceof Http2ServerConnection) {
      installHttp2(connection, pipeline, limits, open);
      return;
    }
    if (pipeline.get(DECODER) == null) {
      throw new IllegalStateException("no " + DECODER + " in the client pipeline: " + pipeline.names());
    }
    if (pipeline.get(ENCODER) == null) {
      throw new IllegalStateException("no " + ENCODER + " in the client pipeline: " + pipeline.names());
    }
    // After the encoder on the way out, so it sees Vert.x's response objects rather than bytes.
    ResponseProgress responses = new ResponseProgress();
    pipeline.addAfter(ENCODER, "responseProgress", responses);
    pipeline.addAfter(ENCODER, "http10Framing", new Http10Framing());
    pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options, limits, open, responses));
  }

  /**
   * An HTTP/2 connection has no HTTP/1 decoder to replace: Netty's HTTP/2 codec and Vert.x apply the
   * request rules of RFC 9113 §8.2 (see {@link Http2Requests}), the header limit is announced in the
   * initial SETTINGS, and the connection limit and idle timeout are applied here. Request heads and
   * bodies time out per stream through the proxy's own timeouts, not the HTTP/1 decoder's clocks.
   */
  private static void installHttp2(HttpConnection connection, ChannelPipeline pipeline, LimitsConfig limits,
                                   AtomicInteger open) {
    int count = open.incrementAndGet();
    pipeline.channel().closeFuture().addListener(f -> open.decrementAndGet());
    if (count > limits.maxClientConnections()) {
      connection.close(); // GOAWAY before any stream: the client may retry elsewhere
      return;
    }
    // Vert.x's HTTP/2 handler closes the connection on this event (with GOAWAY) when nothing moved.
    pipeline.addBefore(HANDLER, "idle", new IdleStateHandler(0, 0, limits.clientIdleTimeoutSec()));
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
