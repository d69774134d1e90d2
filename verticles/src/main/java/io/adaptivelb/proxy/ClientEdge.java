package io.adaptivelb.proxy;

import io.adaptivelb.config.LimitsConfig;
import io.adaptivelb.internals.VertxInternals;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.vertx.core.http.Http2Settings;
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
  private static final String HANDLER = "handler";
  /** Set on a connection handed over from HTTP/1 to h2c: the HTTP/1 decoder already counted it. */
  private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("adaptivelb.counted");

  private ClientEdge() {
  }

  /**
   * Server options for the limits Vert.x enforces itself. Vert.x's own h2c stays off: it would parse an
   * HTTP/1 connection's first request before the strict decoder is in place (h2c goes through {@link H2cPreface}).
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

  /**
   * @param h2c where a plain connection that opens with the HTTP/2 preface is handed over (h2c with
   *            prior knowledge); null when HTTP/2 is off or the port speaks TLS (ALPN decides there)
   */
  static void install(HttpConnection connection, HttpServerOptions options, LimitsConfig limits, AtomicInteger open,
                      VertxInternals.H2cHandover h2c) {
    ChannelPipeline pipeline = VertxInternals.channel(connection).pipeline();
    if (VertxInternals.isHttp2(connection)) {
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
    if (h2c != null) {
      pipeline.addBefore(DECODER, "h2cPreface", new H2cPreface(ctx -> toHttp2(ctx.pipeline(), connection, h2c)));
    }
  }

  /**
   * The connection opened with the HTTP/2 preface: its HTTP/1 handlers go (nothing has reached them
   * yet) and Vert.x's HTTP/2 handler takes their place. The connection was already counted against
   * {@code maxClientConnections} and is counted down when it closes.
   */
  private static void toHttp2(ChannelPipeline pipeline, HttpConnection connection, VertxInternals.H2cHandover h2c) {
    for (String name : new String[]{DECODER, ENCODER, "responseProgress", "http10Framing", "chunkedWriter"}) {
      if (pipeline.get(name) != null) {
        pipeline.remove(name);
      }
    }
    pipeline.channel().attr(COUNTED).set(Boolean.TRUE);
    h2c.handOver(pipeline, connection);
  }

  /**
   * An HTTP/2 connection has no HTTP/1 decoder to replace: Netty's HTTP/2 codec and Vert.x apply the
   * request rules of RFC 9113 §8.2 (see {@link Http2Requests}), the header limit is announced in the
   * initial SETTINGS, and the connection limit and idle timeout are applied here. A stream's body is
   * framed for HTTP/1.1 by {@link Http2BodyFraming}, put in front of Vert.x's frame listener (Vert.x
   * installs its own when the client's first SETTINGS arrive, just before it calls this); the body
   * limits apply per stream ({@link Http2BodyLimits}).
   */
  private static void installHttp2(HttpConnection connection, ChannelPipeline pipeline, LimitsConfig limits,
                                   AtomicInteger open) {
    if (pipeline.channel().attr(COUNTED).get() == null) {
      if (!countIn(connection, pipeline, limits, open)) {
        return;
      }
    }
    // Vert.x's HTTP/2 handler closes the connection on this event (with GOAWAY) when nothing moved.
    pipeline.addBefore(HANDLER, "idle", new IdleStateHandler(0, 0, limits.clientIdleTimeoutSec()));
    Http2ConnectionDecoder frames = pipeline.get(Http2ConnectionHandler.class).decoder();
    frames.frameListener(new Http2BodyFraming(frames.frameListener()));
  }

  /** Counts an HTTP/2 connection in; false (and closed) when it is one too many. */
  private static boolean countIn(HttpConnection connection, ChannelPipeline pipeline, LimitsConfig limits,
                                 AtomicInteger open) {
    int count = open.incrementAndGet();
    pipeline.channel().closeFuture().addListener(f -> open.decrementAndGet());
    if (count > limits.maxClientConnections()) {
      connection.close(); // GOAWAY before any stream: the client may retry elsewhere
      return false;
    }
    return true;
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
