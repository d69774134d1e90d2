package io.adaptivelb.upstream;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on 127.0.0.1 that answers in literal bytes: {@code script} runs for every complete
 * request head (requests here have no body) with the connection it came on, which may write any
 * bytes, later or never. Counts accepted TCP connections and records whether each was closed.
 */
final class ScriptedBackend implements AutoCloseable {

  @FunctionalInterface
  interface Script {
    void answer(Conn conn, String head);
  }

  /** One accepted connection as the backend saw it. */
  static final class Conn {
    final int index;
    final NetSocket socket;
    final Promise<Void> closed = Promise.promise();
    final AtomicInteger requests = new AtomicInteger();
    private final StringBuilder pending = new StringBuilder();

    Conn(int index, NetSocket socket) {
      this.index = index;
      this.socket = socket;
    }

    void write(String text) {
      socket.write(Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    void awaitClosed() {
      ConnectorDriver.await(closed.future());
    }

    boolean isClosed() {
      return closed.future().isComplete();
    }
  }

  final List<Conn> connections = new CopyOnWriteArrayList<>();
  /** Every request head, in arrival order. */
  final List<String> heads = new CopyOnWriteArrayList<>();
  final int port;
  private final NetServer server;

  ScriptedBackend(Vertx vertx, Script script) {
    server = vertx.createNetServer().connectHandler(socket -> {
      Conn conn = new Conn(connections.size(), socket);
      connections.add(conn);
      socket.closeHandler(v -> conn.closed.tryComplete());
      socket.handler(chunk -> {
        conn.pending.append(chunk.toString(StandardCharsets.ISO_8859_1));
        int end;
        while ((end = conn.pending.indexOf("\r\n\r\n")) >= 0) {
          String head = conn.pending.substring(0, end + 4);
          conn.pending.delete(0, end + 4);
          conn.requests.incrementAndGet();
          heads.add(head);
          script.answer(conn, head);
        }
      });
    });
    port = ConnectorDriver.await(server.listen(0, "127.0.0.1")).actualPort();
  }

  /** Accepted TCP connections so far. */
  int accepts() {
    return connections.size();
  }

  Conn conn(int index) {
    return connections.get(index);
  }

  @Override
  public void close() {
    ConnectorDriver.await(server.close());
  }
}
