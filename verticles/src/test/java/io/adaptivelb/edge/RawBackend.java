package io.adaptivelb.edge;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A backend that writes literal HTTP: {@code onHead} runs once per connection when the first request
 * head has arrived, with the socket and the bytes so far. Records every connection's bytes and whether
 * (and when) the proxy closed it, so tests can prove what reached the backend and what was discarded.
 */
final class RawBackend implements AutoCloseable {

  /** One accepted connection as the backend saw it. */
  static final class Conn {
    final Buffer received = Buffer.buffer();
    final Promise<Void> closed = Promise.promise();
    final Promise<String> head = Promise.promise();
    NetSocket socket;

    String text() {
      synchronized (received) {
        return received.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
      }
    }

    void awaitClosed() throws Exception {
      closed.future().await(10, TimeUnit.SECONDS);
    }
  }

  final List<Conn> connections = new CopyOnWriteArrayList<>();
  private final Promise<Conn> firstAccepted = Promise.promise();
  private final NetServer server;
  final int port;

  RawBackend(Vertx vertx, BiConsumer<NetSocket, Conn> onHead) throws Exception {
    server = vertx.createNetServer().connectHandler(socket -> {
      Conn conn = new Conn();
      conn.socket = socket;
      connections.add(conn);
      firstAccepted.tryComplete(conn);
      socket.closeHandler(v -> conn.closed.tryComplete());
      socket.handler(chunk -> {
        synchronized (conn.received) {
          conn.received.appendBuffer(chunk);
        }
        String text = conn.text();
        if (!conn.head.future().isComplete() && text.contains("\r\n\r\n")) {
          conn.head.complete(text);
          onHead.accept(socket, conn);
        }
      });
    });
    port = server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
  }

  /** The first connection the proxy opened (waits for it, bounded). */
  Conn first() throws Exception {
    return firstAccepted.future().await(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    server.close().await(5, TimeUnit.SECONDS);
  }
}
