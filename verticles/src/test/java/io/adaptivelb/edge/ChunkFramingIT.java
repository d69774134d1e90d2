package io.adaptivelb.edge;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken chunked request framing. The head is already on its way to a backend when the body turns out
 * broken (the proxy streams, it never buffers a body), so no 400 can be sent any more: the client's
 * connection is closed, and the backend never receives a complete request (no final chunk ever reaches
 * it; its connection is closed too). A raw backend records what it got.
 */
class ChunkFramingIT {

  private static Vertx vertx;
  private static RawBackend backend;
  private static TestLab lab;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    backend = new RawBackend(vertx, (socket, conn) -> {
      if (conn.text().startsWith("GET /control")) {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      }
    });
    lab = new TestLab().upstream("raw", backend.port).start(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    lab.close();
    backend.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static void assertCutWithoutACompleteRequestUpstream(String body) throws Exception {
    int before = backend.connections.size();
    RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), "POST /chunks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
    assertTrue(reply.closed(), "client connection closed");
    assertFalse(reply.statuses().contains(200), reply.text());
    // A later request on a new connection is served: the proxy is fine, and has finished with the bad one.
    RawHttp.Reply control = RawHttp.send(lab.lab().proxyPort(), "GET /control HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertEquals(List.of(200), control.statuses(), control.text());
    for (RawBackend.Conn conn : backend.connections.subList(before, backend.connections.size())) {
      if (conn.text().startsWith("POST /chunks")) {
        conn.awaitClosed();
        assertFalse(conn.text().contains("\r\n0\r\n\r\n"), "the backend got a complete request: " + conn.text());
      }
    }
  }

  @Test
  void chunkSizeOverflowCutsTheConnection() throws Exception {
    assertCutWithoutACompleteRequestUpstream("FFFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void nonHexChunkSizeCutsTheConnection() throws Exception {
    assertCutWithoutACompleteRequestUpstream("zz\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void negativeChunkSizeCutsTheConnection() throws Exception {
    assertCutWithoutACompleteRequestUpstream("-5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void chunkDataLongerThanItsSizeCutsTheConnection() throws Exception {
    assertCutWithoutACompleteRequestUpstream("5\r\nhelloXX\r\n0\r\n\r\n");
  }

  @Test
  void brokenChunkAfterAGoodOneCutsTheConnection() throws Exception {
    assertCutWithoutACompleteRequestUpstream("5\r\nhello\r\n5x\r\nworld\r\n0\r\n\r\n");
  }
}
