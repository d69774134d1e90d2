package io.adaptivelb.protocols;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.net.PemKeyCertOptions;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x WebSocket server on loopback, by path: {@code /echo} sends every text and binary message
 * back, {@code /bye} closes with 4001 "bye" on its first message, {@code /refuse} rejects the handshake
 * with 403, {@code /flood} writes binary messages as fast as its write queue lets it, {@code /sink}
 * reads nothing. A plain request is answered with the {@code Upgrade} header it came with. What
 * happened to the last WebSocket is kept in promises. Over TLS (wss) when given a certificate.
 */
final class WebSocketBackend implements AutoCloseable {

  static final int MAX_MESSAGE = 2 * 1024 * 1024;

  final int port;
  /** The last WebSocket accepted, with the handshake headers it got. */
  final Promise<ServerWebSocket> opened = Promise.promise();
  /** Its close: the status code the peer's close frame carried (null: the connection just ended). */
  final Promise<Short> closed = Promise.promise();
  /** {@code /flood} and {@code /sink}: bytes written so far by whichever side floods. */
  final Flood flood = new Flood(64 * 1024, 256L * 1024 * 1024);
  private final HttpServer server;

  WebSocketBackend(Vertx vertx) throws Exception {
    this(vertx, null);
  }

  /** @param certAndKey PEM certificate and key for TLS (wss), or null for plain ws */
  WebSocketBackend(Vertx vertx, Path[] certAndKey) throws Exception {
    HttpServerOptions options = new HttpServerOptions().setMaxWebSocketMessageSize(MAX_MESSAGE);
    if (certAndKey != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certAndKey[0].toString())
        .setKeyPath(certAndKey[1].toString()));
    }
    server = vertx.createHttpServer(options)
      .webSocketHandshakeHandler(this::handshake)
      .webSocketHandler(this::serve)
      .requestHandler(request -> request.response().end("plain " + request.getHeader("Upgrade")));
    port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  private void handshake(ServerWebSocketHandshake handshake) {
    if (handshake.path().equals("/refuse")) {
      handshake.reject(403);
    } else {
      handshake.accept();
    }
  }

  private void serve(ServerWebSocket ws) {
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
    switch (ws.path()) {
      case "/echo" -> {
        ws.textMessageHandler(ws::writeTextMessage);
        ws.binaryMessageHandler(ws::writeBinaryMessage);
      }
      case "/bye" -> ws.textMessageHandler(text -> ws.close((short) 4001, "bye"));
      case "/flood" -> flood.start(ws, Vertx.currentContext());
      case "/sink" -> ws.pause();
      default -> ws.close();
    }
    opened.tryComplete(ws);
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * Writes binary messages of {@code chunk} bytes on a WebSocket up to {@code limit} in all, each time
   * its write queue has room: how far it gets while the other side does not read shows whether
   * anything between them buffers without bound.
   */
  static final class Flood {
    private final int chunk;
    private final long limit;
    private volatile long written;
    private io.vertx.core.http.WebSocketBase ws;

    Flood(int chunk, long limit) {
      this.chunk = chunk;
      this.limit = limit;
    }

    long written() {
      return written;
    }

    long limit() {
      return limit;
    }

    void start(io.vertx.core.http.WebSocketBase socket, Context context) {
      context.runOnContext(v -> {
        ws = socket;
        pump();
      });
    }

    private void pump() {
      Buffer message = Buffer.buffer(new byte[chunk]);
      while (written < limit) {
        ws.writeBinaryMessage(message);
        written += chunk;
        if (ws.writeQueueFull()) {
          ws.drainHandler(v -> pump());
          return;
        }
      }
    }
  }
}
