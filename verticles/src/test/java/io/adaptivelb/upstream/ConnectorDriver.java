package io.adaptivelb.upstream;

import io.adaptivelb.internals.VertxInternals;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Drives an {@link UpstreamConnector} from a JUnit thread: the connector and its connections live on
 * one event-loop context, and every call on them is made inside it.
 */
final class ConnectorDriver implements AutoCloseable {

  /** The one backend object this driver acquires for (the connector keys pools by identity). */
  final Object backendKey = new Object();
  final Context ctx;
  final UpstreamConnector connector;
  private final int port;
  private final String host;

  ConnectorDriver(Vertx vertx, int port, UpstreamOptions options) {
    this(vertx, "127.0.0.1", port, options);
  }

  /** {@code host}: an IP literal (connected as it is) or a name (resolved by Vert.x's resolver). */
  ConnectorDriver(Vertx vertx, String host, int port, UpstreamOptions options) {
    this.host = host;
    this.port = port;
    this.ctx = VertxInternals.newEventLoopContext(vertx);
    this.connector = onLoop(() -> new UpstreamConnector(vertx, VertxInternals.eventLoop(ctx), options));
  }

  static UpstreamOptions options(boolean keepAlive) {
    return new UpstreamOptions(keepAlive, 60_000, 5_000, 4096, 8192, 8, 8);
  }

  /** Runs {@code task} on the connector's context and waits for its result. */
  <T> T onLoop(Supplier<T> task) {
    Promise<T> done = Promise.promise();
    ctx.runOnContext(v -> {
      try {
        done.complete(task.get());
      } catch (Throwable t) {
        done.fail(t);
      }
    });
    return await(done.future());
  }

  /** Waits (bounded, 10 s) for {@code future}: its value, or its failure rethrown. */
  static <T> T await(Future<T> future) {
    AsyncResult<T> result = settle(future);
    if (result.failed()) {
      Throwable cause = result.cause();
      if (cause instanceof RuntimeException e) {
        throw e;
      }
      if (cause instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(cause);
    }
    return result.result();
  }

  /** Waits (bounded, 10 s) for {@code future} to complete either way. */
  static <T> AsyncResult<T> settle(Future<T> future) {
    try {
      return future.<AsyncResult<T>>transform(Future::succeededFuture).await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within 10 s", e);
    }
  }

  void run(Runnable task) {
    onLoop(() -> {
      task.run();
      return null;
    });
  }

  /** Asks for a connection (on the loop); the future completes with it or fails with connectFailed's cause. */
  Future<UpstreamConnection> acquireAsync() {
    Promise<UpstreamConnection> result = Promise.promise();
    ctx.runOnContext(v -> connector.acquire(backendKey, host, port, request(result)));
    return result.future();
  }

  /** Must be called on the loop. */
  Promise<UpstreamConnection> acquireHere() {
    Promise<UpstreamConnection> result = Promise.promise();
    connector.acquire(backendKey, host, port, request(result));
    return result;
  }

  private static ConnectionRequest request(Promise<UpstreamConnection> result) {
    return new ConnectionRequest() {
      @Override
      public void connected(UpstreamConnection connection) {
        if (!result.tryComplete(connection)) {
          throw new AssertionError("connected after the request was already answered");
        }
      }

      @Override
      public void connectFailed(Throwable cause) {
        if (!result.tryFail(cause)) {
          throw new AssertionError("connectFailed after the request was already answered", cause);
        }
      }
    };
  }

  UpstreamConnection acquire() {
    return await(acquireAsync());
  }

  static DefaultHttpRequest request(HttpMethod method, String uri) {
    DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri,
      VertxInternals.nettyView(VertxInternals.trustedHeaders()));
    head.headers().set(HttpHeaderNames.HOST, "backend.test");
    return head;
  }

  /** Sends a bodiless request on {@code connection} (on the loop) and returns what its listener hears. */
  Exchange send(UpstreamConnection connection, HttpMethod method, String uri) {
    Exchange exchange = new Exchange();
    run(() -> connection.send(request(method, uri), false, exchange));
    return exchange;
  }

  /** Acquire, then send a GET. */
  Exchange get(String uri) {
    return send(acquire(), HttpMethod.GET, uri);
  }

  Exchange head(String uri) {
    return send(acquire(), HttpMethod.HEAD, uri);
  }

  int openConnections() {
    return onLoop(connector::openConnections);
  }

  @Override
  public void close() {
    connector.close(); // safe from any thread
  }

  /** A {@link ResponseListener} recording every callback, in order. */
  static final class Exchange implements ResponseListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final Promise<HttpResponse> head = Promise.promise();
    /** Completes on ended(), fails on failed(). */
    final Promise<Void> outcome = Promise.promise();
    private final Buffer body = Buffer.buffer();
    volatile Throwable failure;
    volatile int contentCalls;

    @Override
    public void head(HttpResponse response) {
      events.add("head " + response.status().code());
      head.tryComplete(response);
    }

    @Override
    public void content(ByteBuf chunk) {
      events.add("content");
      contentCalls++;
      synchronized (body) {
        body.appendBytes(io.netty.buffer.ByteBufUtil.getBytes(chunk));
      }
      chunk.release();
    }

    @Override
    public void ended(ByteBuf lastChunk) {
      if (lastChunk != null) {
        content(lastChunk);
      }
      events.add("ended");
      outcome.tryComplete();
    }

    @Override
    public void failed(Throwable cause) {
      events.add("failed");
      failure = cause;
      outcome.tryFail(cause);
    }

    HttpResponse awaitHead() {
      return await(head.future());
    }

    /** Waits for ended(); throws if the exchange failed instead. */
    Exchange awaitEnded() {
      AsyncResult<Void> result = settle(outcome.future());
      if (result.failed()) {
        throw new AssertionError("exchange failed, expected it to end; events " + events, result.cause());
      }
      return this;
    }

    /** Waits for failed() and returns its cause; throws AssertionError if it ended instead. */
    Throwable awaitFailed() {
      AsyncResult<Void> result = settle(outcome.future());
      if (result.failed()) {
        return result.cause();
      }
      throw new AssertionError("exchange ended, expected it to fail; events " + events);
    }

    String body() {
      synchronized (body) {
        return body.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
      }
    }

    HttpResponse response() {
      return head.future().result();
    }
  }
}
