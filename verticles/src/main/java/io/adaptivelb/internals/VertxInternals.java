package io.adaptivelb.internals;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.resolver.AddressResolverGroup;
import io.vertx.core.Closeable;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http2ServerConnection;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.impl.ConnectionBase;

import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * Every use of Vert.x internals in the project, each with why, so a Vert.x upgrade is checked here
 * and in nowhere else. No other class imports {@code io.vertx.core.internal} or an {@code impl} package,
 * with one known exception: {@code io.vertx.core.http.impl.H2cHandover} (h2c with prior knowledge)
 * lives inside Vert.x's package because the HTTP/2 server builder it calls is package-private; it is
 * reached only through {@link #h2cHandover}. The edge, upstream and protocol tests fail loudly if an
 * upgrade moves any of these.
 * The JDK's unsupported signal API has its own boundary beside this one ({@link OsSignals}).
 */
public final class VertxInternals {

  /**
   * No validation for the headers of a request the proxy forwards: every value is the client's,
   * already checked by the strict decoder, or the proxy's own; validating again cost ~3% of the CPU
   * per request.
   */
  private static final BiConsumer<CharSequence, CharSequence> TRUSTED = (name, value) -> { };

  /** Response headers decoded straight into Vert.x's map type, so copying them out needs no adapter. */
  private static final HttpHeadersFactory VERTX_HEADERS = new HttpHeadersFactory() {
    @Override
    public HttpHeaders newHeaders() {
      return HeadersMultiMap.httpHeaders();
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
      return HeadersMultiMap.httpHeaders();
    }
  };

  private VertxInternals() {
  }

  /**
   * Vert.x's HTTP/1.x request decoder, to subclass: Vert.x has no public hook for it, and its server
   * handler expects the request objects this decoder makes (a plain Netty decoder would not do).
   */
  public abstract static class ServerRequestDecoder extends VertxHttpRequestDecoder {
    protected ServerRequestDecoder(HttpServerOptions options) {
      super(options);
    }
  }

  /**
   * A client connection's Netty channel, for what Vert.x does not expose: a half-close, the pipeline, and
   * a close that does not wait for queued bytes (a tunnel's client that stopped reading would never let
   * Vert.x's close finish; the channel stays the same after {@code toNetSocket}).
   */
  public static Channel channel(HttpConnection connection) {
    return ((ConnectionBase) connection).channel();
  }

  /** Whether a client connection speaks HTTP/2 (its pipeline has no HTTP/1 decoder to replace). */
  public static boolean isHttp2(HttpConnection connection) {
    return connection instanceof Http2ServerConnection;
  }

  /** Hands a plain client connection that opened with the HTTP/2 preface over to Vert.x's HTTP/2 server handler. */
  public interface H2cHandover {
    void handOver(ChannelPipeline pipeline, HttpConnection connection);
  }

  /**
   * h2c with prior knowledge for {@code server}, with the same handlers the server was given: Vert.x's
   * own h2c would parse an HTTP/1 connection's first request before the strict decoder is in place, so
   * the proxy sniffs the preface itself and hands the connection over here. The HTTP/2 handler is built
   * in the connection's own context, as Vert.x builds it for its h2c.
   */
  public static H2cHandover h2cHandover(HttpServer server, HttpServerOptions options, Handler<HttpServerRequest> requests,
                                        Handler<HttpServerRequest> refused, Handler<HttpConnection> connections) {
    io.vertx.core.http.impl.H2cHandover handover =
      new io.vertx.core.http.impl.H2cHandover(server, options, requests, refused, connections);
    return (pipeline, connection) -> handover.handOver(pipeline, ((ConnectionBase) connection).context());
  }

  /** The bytes of a Vert.x buffer as Netty's, without a copy: the request body goes to the backend as it came. */
  public static ByteBuf byteBuf(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf();
  }

  /**
   * A heap copy of a backend's (pooled) bytes as a Vert.x buffer, as Vert.x's own client makes: the
   * pooled buffer goes back at once and the client's write queue holds a plain one.
   */
  public static Buffer heapCopy(ByteBuf chunk) {
    return BufferInternal.safeBuffer(chunk);
  }

  /** A map that is Vert.x's MultiMap and Netty's HttpHeaders at once, not validating values (see TRUSTED). */
  public static MultiMap trustedHeaders() {
    return HeadersMultiMap.httpHeaders(TRUSTED);
  }

  /** The Netty view of a map made by {@link #trustedHeaders()} or decoded with {@link #vertxHeadersFactory()}. */
  public static HttpHeaders nettyView(MultiMap headers) {
    return (HeadersMultiMap) headers;
  }

  /** The Vert.x view of headers decoded with {@link #vertxHeadersFactory()}. */
  public static MultiMap vertxView(HttpHeaders headers) {
    return (HeadersMultiMap) headers;
  }

  /** For a Netty decoder: its messages carry Vert.x header maps, copied to the client without an adapter. */
  public static HttpHeadersFactory vertxHeadersFactory() {
    return VERTX_HEADERS;
  }

  /**
   * Writes Vert.x header maps with their own ASCII encoder (as Vert.x's response encoder does) instead
   * of Netty's generic per-header path, which sizes every value for UTF-8. False: not a Vert.x map.
   */
  public static boolean encodeVertxHeaders(HttpHeaders headers, ByteBuf out) {
    if (headers instanceof HeadersMultiMap vertx) {
      vertx.encode(out, false);
      return true;
    }
    return false;
  }

  /** The Netty event loop of the calling context: upstream connections live on it, beside the client ones. */
  public static EventLoop currentEventLoop(Vertx vertx) {
    return ((ContextInternal) vertx.getOrCreateContext()).nettyEventLoop();
  }

  /** The Netty event loop behind a Vert.x context. */
  public static EventLoop eventLoop(Context context) {
    return ((ContextInternal) context).nettyEventLoop();
  }

  /** A new event-loop context (tests drive the upstream connector on one without deploying a verticle). */
  public static Context newEventLoopContext(Vertx vertx) {
    return ((VertxInternal) vertx).createEventLoopContext();
  }

  /** The socket channel type of Vert.x's transport (epoll or NIO), so upstream connections use the same. */
  public static ChannelFactory<? extends Channel> channelFactory(Vertx vertx) {
    return ((VertxInternal) vertx).transport().channelFactory(false);
  }

  /** Vert.x's name resolver, as Netty's: a backend host name resolves off the event loop, as Vert.x's client would. */
  public static AddressResolverGroup<InetSocketAddress> addressResolver(Vertx vertx) {
    return ((VertxInternal) vertx).nameResolver().nettyAddressResolverGroup();
  }

  /** Runs {@code hook} when Vert.x closes (SIGTERM through the launcher), before it undeploys verticles. */
  public static void addCloseHook(Vertx vertx, Closeable hook) {
    ((VertxInternal) vertx).addCloseHook(hook);
  }

  public static void removeCloseHook(Vertx vertx, Closeable hook) {
    ((VertxInternal) vertx).removeCloseHook(hook);
  }
}
