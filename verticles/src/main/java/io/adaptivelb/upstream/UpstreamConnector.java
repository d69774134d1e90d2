package io.adaptivelb.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.adaptivelb.internals.VertxInternals;
import io.vertx.core.Vertx;

import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The upstream side of one proxy instance, on that instance's event loop: a {@link HostPool} per
 * backend and the Netty bootstrap its connections come from. It is the proxy's one HTTP client:
 * forwarded requests, warm-up probes and health checks all use it. It is written instead of using
 * Vert.x's HTTP client, which cost about as much CPU per request as the rest of the proxy together
 * (its pool, futures and header maps); the client connection stays with Vert.x's HTTP server, and both
 * sides run on the same event loop, so no exchange ever crosses threads.
 */
public final class UpstreamConnector {

  private static final long SWEEP_MS = 1000;

  private final EventLoop loop;
  private final UpstreamOptions options;
  private final Bootstrap bootstrap;
  private final HttpDecoderConfig decoderConfig; // read by each decoder when it is made, never changed
  private final SslContext tls;
  private final Map<Object, HostPool> pools = new IdentityHashMap<>();
  private final ScheduledFuture<?> sweeper;
  private boolean closed;

  public UpstreamConnector(Vertx vertx, EventLoop loop, UpstreamOptions options) {
    this(vertx, loop, options, null);
  }

  /** @param tls the client context for {@code https://} backends (null: only plain ones are reachable) */
  public UpstreamConnector(Vertx vertx, EventLoop loop, UpstreamOptions options, SslContext tls) {
    this.loop = loop;
    this.tls = tls;
    this.options = options;
    this.bootstrap = new Bootstrap()
      .group(loop)
      .channelFactory(VertxInternals.channelFactory(vertx))
      .resolver(VertxInternals.addressResolver(vertx))
      .option(ChannelOption.TCP_NODELAY, true)
      .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.connectTimeoutMs());
    this.decoderConfig = new HttpDecoderConfig()
      .setMaxInitialLineLength(options.maxStatusLineBytes())
      .setMaxHeaderSize(options.maxHeaderBytes())
      .setHeadersFactory(VertxInternals.vertxHeadersFactory());
    this.sweeper = loop.scheduleAtFixedRate(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Asks for a connection to a backend; {@code request} hears back on this event loop, maybe at once.
   *
   * @param backend any object standing for the backend, compared by identity (one pool per object)
   */
  public void acquire(Object backend, String host, int port, ConnectionRequest request) {
    acquire(backend, host, port, false, request);
  }

  /**
   * As {@link #acquire(Object, String, int, ConnectionRequest)}, over TLS when {@code tls}: the
   * connection is handed over only once the handshake succeeded (certificate and host name verified
   * as the connector's context says), and a failed handshake is a failed connect.
   */
  public void acquire(Object backend, String host, int port, boolean tls, ConnectionRequest request) {
    acquire(backend, host, port, tls, false, request);
  }

  /**
   * As above; {@code fresh}: a pooled connection to this backend just turned out stale
   * ({@link StaleConnectionException}), so the idle ones, as old, are closed and the request gets a new one.
   */
  public void acquire(Object backend, String host, int port, boolean tls, boolean fresh, ConnectionRequest request) {
    if (closed) {
      request.connectFailed(new IllegalStateException("upstream connector closed"));
      return;
    }
    if (tls && this.tls == null) {
      request.connectFailed(new IllegalStateException("no TLS context for https backend " + host + ":" + port));
      return;
    }
    HostPool pool = pools.get(backend);
    if (pool == null) {
      pool = new HostPool(this, options, host, port, tls);
      pools.put(backend, pool);
    }
    pool.acquire(request, fresh);
  }

  /**
   * Takes back a request still queued for a connection to {@code backend} (its requester gave up:
   * timeout, client gone). True when it was queued: it then hears nothing more. False when it is not
   * queued: it is connecting (bounded by the connect timeout) or was already answered.
   */
  public boolean withdraw(Object backend, ConnectionRequest request) {
    HostPool pool = pools.get(backend);
    return pool != null && pool.withdraw(request);
  }

  /** Open connections (busy, idle or connecting) to all backends. */
  public int openConnections() {
    int n = 0;
    for (HostPool pool : pools.values()) {
      n += pool.open();
    }
    return n;
  }

  /**
   * Stops pooling: idle connections close now, busy ones when their exchange ends; exchanges under
   * way finish undisturbed (a connection mode switch, or the instance stopping).
   */
  public void close() {
    if (loop.inEventLoop()) {
      closeNow();
    } else {
      loop.execute(this::closeNow);
    }
  }

  private void closeNow() {
    if (closed) {
      return;
    }
    closed = true;
    sweeper.cancel(false);
    long now = System.nanoTime();
    for (HostPool pool : pools.values()) {
      pool.sweep(now, true);
    }
  }

  EventLoop loop() {
    return loop;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * The bootstrap of one backend's connections, made once per pool rather than per connect. Over TLS
   * the handler is made for the backend's host name: it is sent as SNI and the certificate is checked against it.
   */
  Bootstrap bootstrapFor(HostPool pool, String host, int port, boolean overTls) {
    return bootstrap.clone().handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        if (overTls) {
          SslHandler handler = tls.newHandler(ch.alloc(), host, port);
          handler.setHandshakeTimeoutMillis(options.connectTimeoutMs());
          ch.pipeline().addLast("tls", handler);
        }
        ChannelFlow flow = new ChannelFlow(ch);
        UpstreamConnection connection = new UpstreamConnection(pool, ch, flow);
        ch.pipeline().addLast("encoder", new RequestEncoder());
        connection.decoder = new ResponseDecoder(decoderConfig, connection);
        ch.pipeline().addLast("decoder", connection.decoder); // not HttpClientCodec: see there
        ch.pipeline().addLast("flow", flow);
        ch.pipeline().addLast("exchange", connection);
      }
    });
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Iterator<HostPool> it = pools.values().iterator(); it.hasNext(); ) {
      HostPool pool = it.next();
      pool.sweep(now, false);
      if (pool.unused()) {
        it.remove(); // a backend removed at runtime leaves nothing behind
      }
    }
  }
}
