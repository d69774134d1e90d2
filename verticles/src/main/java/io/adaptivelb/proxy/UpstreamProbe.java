package io.adaptivelb.proxy;

import io.adaptivelb.internals.VertxInternals;
import io.adaptivelb.upstream.ConnectionRequest;
import io.adaptivelb.upstream.ResponseListener;
import io.adaptivelb.upstream.UpstreamConnection;
import io.adaptivelb.upstream.UpstreamConnector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;

import java.util.concurrent.TimeoutException;

/**
 * One GET the proxy sends on its own (a warm-up probe, an active health check), through the same
 * {@link UpstreamConnector} and connection pool as the traffic, so it sees the backend as traffic
 * does. The body is read and dropped. Completes with the status, or fails: no connection (a
 * {@link io.adaptivelb.upstream.PoolBusyException} when the pool is full), a broken response, or no
 * complete answer within {@code timeoutMs}. Runs on the connector's event loop.
 */
final class UpstreamProbe implements ConnectionRequest, ResponseListener {

  private final Promise<Integer> result = Promise.promise();
  private final UpstreamConnector connector;
  private final Upstream to;
  private final String path;
  private final CharSequence marker;
  private UpstreamConnection connection;
  private int status;
  private boolean waiting = true;

  private UpstreamProbe(UpstreamConnector connector, Upstream to, String path, CharSequence marker) {
    this.connector = connector;
    this.to = to;
    this.path = path;
    this.marker = marker;
  }

  /** @param marker a header set to "1" so the backend can tell the probe from traffic */
  static Future<Integer> get(Vertx vertx, UpstreamConnector connector, Upstream to, String path, CharSequence marker,
                             long timeoutMs) {
    UpstreamProbe probe = new UpstreamProbe(connector, to, path, marker);
    long timer = vertx.setTimer(timeoutMs, id -> probe.timedOut(timeoutMs));
    connector.acquire(to, to.address().host(), to.address().port(), to.tls(), probe); // https backends: over TLS
    return probe.result.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  @Override
  public void connected(UpstreamConnection c) {
    waiting = false;
    if (result.future().isComplete()) {
      c.releaseUnused(); // timed out while connecting: nothing was sent
      return;
    }
    connection = c;
    MultiMap headers = VertxInternals.trustedHeaders();
    headers.set(HttpHeaders.HOST, to.authority()).set(marker, "1");
    c.send(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER,
      VertxInternals.nettyView(headers), EmptyHttpHeaders.INSTANCE), false, this);
  }

  @Override
  public void connectFailed(Throwable cause) {
    waiting = false;
    result.tryFail(cause);
  }

  @Override
  public void head(HttpResponse head) {
    status = head.status().code();
  }

  @Override
  public void content(ByteBuf chunk) {
    chunk.release();
  }

  @Override
  public void ended(ByteBuf lastChunk) {
    if (lastChunk != null) {
      lastChunk.release();
    }
    connection = null;
    result.tryComplete(status);
  }

  @Override
  public void failed(Throwable cause) {
    connection = null;
    result.tryFail(cause);
  }

  private void timedOut(long timeoutMs) {
    TimeoutException cause = new TimeoutException("no answer from " + to.name() + " within " + timeoutMs + " ms");
    if (connection != null) {
      connection.abort(cause); // failed() completes the probe
      return;
    }
    if (waiting) {
      connector.withdraw(to, this); // false when connecting: connected() then hands the connection back unused
    }
    result.tryFail(cause);
  }
}
