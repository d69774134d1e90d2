package io.adaptivelb.edge;

import io.adaptivelb.RawHttp;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken chunked request framing. The head is already on its way to a backend when the body turns out
 * broken (the proxy streams, it never buffers a body): the client gets 400 if the backend has not
 * answered yet, its connection is closed, and the backend never receives a complete request (no final
 * chunk ever reaches it; its connection is closed too). A raw backend records what it got; it starts an
 * answer to {@code /partial} as soon as the head arrives, and answers nothing else that is posted.
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
        // closing: this backend answers one request per connection, so none may go back to the pool
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
      } else if (conn.text().startsWith("POST /partial")) {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok"); // and the rest never comes
      } else if (conn.text().startsWith("POST /fine")) {
        // answers once the whole body is in (onHead runs when the head arrives, before the body)
        vertx.setPeriodic(10, timer -> {
          if (conn.text().endsWith("hello\r\n0\r\n\r\n")) {
            vertx.cancelTimer(timer);
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
          }
        });
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

  private static void assertRefusedWithoutACompleteRequestUpstream(String body) throws Exception {
    int before = backend.connections.size();
    RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), "POST /chunks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
    assertEquals(List.of(400), reply.statuses(), reply.text());
    assertTrue(reply.closed(), "client connection closed");
    assertBackendNeverGotAWholeRequest(before, "POST /chunks");
  }

  private static void assertBackendNeverGotAWholeRequest(int before, String request) throws Exception {
    // A later request on a new connection is served: the proxy is fine, and has finished with the bad one.
    RawHttp.Reply control = RawHttp.send(lab.lab().proxyPort(), "GET /control HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertEquals(List.of(200), control.statuses(), control.text());
    for (RawBackend.Conn conn : backend.connections.subList(before, backend.connections.size())) {
      if (conn.text().startsWith(request)) {
        conn.awaitClosed();
        assertFalse(conn.text().contains("\r\n0\r\n\r\n"), "the backend got a complete request: " + conn.text());
      }
    }
  }

  @Test
  void chunkSizeOverflowIs400AndCut() throws Exception {
    assertRefusedWithoutACompleteRequestUpstream("FFFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void nonHexChunkSizeIs400AndCut() throws Exception {
    assertRefusedWithoutACompleteRequestUpstream("zz\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void negativeChunkSizeIs400AndCut() throws Exception {
    assertRefusedWithoutACompleteRequestUpstream("-5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void aBareCrEndingAChunkSizeLineIs400AndCut() throws Exception {
    assertRefusedWithoutACompleteRequestUpstream("5\r\r\nhello\r\n0\r\r\n\r\n");
  }

  @Test
  void aBareLfEndingAChunkSizeLineIs400AndCut() throws Exception {
    assertRefusedWithoutACompleteRequestUpstream("5\nhello\r\n0\r\n\r\n");
  }

  @Test
  void aChunkSizeFollowedByJunkIs400AndCut() throws Exception {
    assertRefusedWithoutACompleteRequestUpstream("5 junk\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void aTrailerThatIsNotAFieldLineIs400AndCut() throws Exception {
    assertRefusedWithoutACompleteRequestUpstream("5\r\nhello\r\n0\r\nno colon here\r\n\r\n");
  }

  @Test
  void extensionsBlankSpaceAndTrailersWithinTheGrammarAreForwarded() throws Exception {
    RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), "POST /fine HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
      + "Connection: close\r\n\r\n5 ;name=\"v\"\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n");
    assertEquals(List.of(200), reply.statuses(), reply.text());
  }

  @Test
  void chunkDataLongerThanItsSizeIs400AndCut() throws Exception {
    assertRefusedWithoutACompleteRequestUpstream("5\r\nhelloXX\r\n0\r\n\r\n");
  }

  @Test
  void aPipelinedRequestAfterABrokenBodyIsNeverForwarded() throws Exception {
    int before = backend.connections.size();
    RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), "POST /chunks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "zz\r\nhello\r\n0\r\n\r\nGET /control/smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
    assertEquals(List.of(400), reply.statuses(), reply.text());
    assertBackendNeverGotAWholeRequest(before, "POST /chunks");
    for (RawBackend.Conn conn : backend.connections.subList(before, backend.connections.size())) {
      assertFalse(conn.text().contains("/control/smuggled"), conn.text());
    }
  }

  @Test
  void aResponseAlreadyUnderWayIsCutNotFollowedByA400() throws Exception {
    int before = backend.connections.size();
    try (Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      InputStream in = client.getInputStream();
      out.write("POST /partial HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertTrue(RawHttp.readHead(in).startsWith("HTTP/1.1 200"));
      assertEquals("ok", new String(in.readNBytes(2), StandardCharsets.US_ASCII));
      out.write("zz\r\nbroken\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      RawHttp.Reply rest = RawHttp.readAll(in);
      assertTrue(rest.closed(), "client connection closed");
      assertEquals("", rest.text(), "no 400 spliced into a response the client is already reading");
    }
    assertBackendNeverGotAWholeRequest(before, "POST /partial");
  }

  @Test
  void brokenChunkAfterAGoodOneIs400AndCut() throws Exception {
    assertRefusedWithoutACompleteRequestUpstream("5\r\nhello\r\n5x\r\nworld\r\n0\r\n\r\n");
  }
}
