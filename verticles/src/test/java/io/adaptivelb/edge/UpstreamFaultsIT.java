package io.adaptivelb.edge;

import io.adaptivelb.RawHttp;
import io.adaptivelb.TestLab;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backends that misbehave on the wire (raw NetServers writing literal HTTP) and clients that leave or wait. */
@ExtendWith(VertxExtension.class)
class UpstreamFaultsIT {

  private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void garbageStatusLineIs502AndThatConnectionIsDiscarded(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) -> socket.write("SPDY/9 banana\r\n\r\n"));
         TestLab lab = new TestLab().upstream("raw", backend.port).start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), GET);
      assertEquals(List.of(502), reply.statuses(), reply.text());
      backend.first().awaitClosed();
    }
  }

  @Test
  void malformedUpstreamContentLengthIs502AndThatConnectionIsDiscarded(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nok"));
         TestLab lab = new TestLab().upstream("raw", backend.port).start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), GET);
      assertEquals(List.of(502), reply.statuses(), reply.text());
      backend.first().awaitClosed();
    }
  }

  @Test
  void conflictingUpstreamContentLengthsAre502(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!"));
         TestLab lab = new TestLab().upstream("raw", backend.port).start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), GET);
      assertEquals(List.of(502), reply.statuses(), reply.text());
      backend.first().awaitClosed();
    }
  }

  @Test
  void brokenUpstreamChunkFramingCutsTheClientAndDiscardsTheConnection(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nbroken\r\n0\r\n\r\n"));
         TestLab lab = new TestLab().upstream("raw", backend.port).start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), GET);
      assertTrue(reply.closed());
      assertFalse(reply.text().contains("broken"), reply.text());
      assertFalse(reply.text().endsWith("0\r\n\r\n"), "no made-up final chunk: " + reply.text());
      backend.first().awaitClosed();
    }
  }

  @Test
  void resetBeforeHeadersIs502AndABodyRequestIsNotRetried(Vertx vertx) throws Exception {
    try (RawBackend first = new RawBackend(vertx, (socket, conn) -> socket.close());
         RawBackend second = new RawBackend(vertx, (socket, conn) -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
         TestLab lab = new TestLab().upstream("first", first.port).upstream("second", second.port).start(vertx)) {
      // round robin starts at "first"; a POST with a body may have been consumed: never replayed
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
      assertEquals(List.of(502), reply.statuses(), reply.text());
      assertTrue(second.connections.isEmpty(), "not retried on the other backend");
    }
  }

  @Test
  void resetBeforeHeadersOfAnIdempotentRequestIsRetriedElsewhere(Vertx vertx) throws Exception {
    try (RawBackend first = new RawBackend(vertx, (socket, conn) -> socket.close());
         RawBackend second = new RawBackend(vertx, (socket, conn) -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
         TestLab lab = new TestLab().upstream("first", first.port).upstream("second", second.port).start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), GET);
      assertEquals(List.of(200), reply.statuses(), reply.text());
      assertEquals(1, first.connections.size());
      assertEquals(1, second.connections.size());
    }
  }

  @Test
  void truncatedUpstreamBodyWithContentLengthReachesTheClientTruncated(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789").onComplete(ar -> socket.close()));
         TestLab lab = new TestLab().upstream("raw", backend.port).start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), GET);
      assertEquals(200, reply.status(), reply.text());
      assertTrue(reply.closed());
      assertTrue(reply.text().toLowerCase().contains("content-length: 100"), reply.text());
      assertEquals("0123456789", reply.body(), "exactly the bytes the backend sent, then the cut");
    }
  }

  @Test
  void aBackendSilentMidBodyIsCutAfterThePerTryTimeoutAndLoggedAs504(Vertx vertx, @TempDir Path dir) throws Exception {
    Path csv = dir.resolve("log.csv");
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")); // then silence
         TestLab lab = new TestLab().upstream("raw", backend.port).proxy("upstreamTimeoutMs", 300).csv(csv.toString())
           .start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), GET);
      assertEquals(200, reply.status(), reply.text());
      assertTrue(reply.closed(), "cut after the backend's silence, not left hanging: " + reply.text());
      assertTrue(reply.body().contains("hello"), reply.text());
      assertFalse(reply.body().contains("0\r\n\r\n"), "no made-up final chunk: " + reply.text());
      backend.first().awaitClosed(); // the stalled upstream connection is discarded
    }
    List<String> rows = Files.readAllLines(csv);
    assertEquals(2, rows.size(), String.join("\n", rows));
    assertEquals("504", rows.get(1).split(",")[5], rows.get(1));
  }

  @Test
  void aClientThatStopsReadingIsNotMistakenForASilentBackend(Vertx vertx) throws Exception {
    int size = 16 * 1024 * 1024;
    Promise<Void> backPressured = Promise.promise();
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) -> {
           socket.write("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n");
           writeUntilFull(socket, new int[]{size}, backPressured);
         });
         TestLab lab = new TestLab().upstream("raw", backend.port).proxy("upstreamTimeoutMs", 200).start(vertx);
         Socket client = new Socket()) {
      client.setReceiveBufferSize(64 * 1024);
      client.connect(new java.net.InetSocketAddress("127.0.0.1", lab.lab().proxyPort()));
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      client.getOutputStream().write(ascii(GET));
      InputStream in = client.getInputStream();
      String head = RawHttp.readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      // Not reading: the proxy's write queue fills, it stops reading the backend, the backend's fills.
      backPressured.future().await(10, TimeUnit.SECONDS);
      // The backend now stays silent for many per-try timeouts, because of the client, not itself.
      Promise<Void> later = Promise.promise();
      vertx.setTimer(1_000, id -> later.complete());
      later.future().await(10, TimeUnit.SECONDS);
      long total = 0;
      byte[] buffer = new byte[64 * 1024];
      for (int n; total < size && (n = in.read(buffer)) > 0; ) {
        total += n;
      }
      assertEquals(size, total, "the whole body, not a cut");
    }
  }

  @Test
  void aClientUploadingSlowerThanThePerTryTimeoutIsNotBlamedOnTheBackend(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b", constant(0)).proxy("upstreamTimeoutMs", 200).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      out.write(ascii("POST /upload HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"));
      // Ten chunks, one every 100 ms: the upload takes about five per-try timeouts, the backend none.
      for (int i = 0; i < 10; i++) {
        out.write(ascii("1\r\nx\r\n"));
        out.flush();
        Promise<Void> tick = Promise.promise();
        vertx.setTimer(100, id -> tick.complete());
        tick.future().await(10, TimeUnit.SECONDS);
      }
      out.write(ascii("0\r\n\r\n"));
      RawHttp.Reply reply = RawHttp.readAll(client.getInputStream());
      assertEquals(List.of(200), reply.statuses(), reply.text());
      assertTrue(reply.text().contains("X-Request-Body-Bytes: 10"), reply.text());
    }
  }

  @Test
  void aBackendThatStopsReadingTheRequestBodyTimesOutWith504(Vertx vertx) throws Exception {
    RawBackend backend = new RawBackend(vertx, (socket, conn) -> socket.pause()); // reads no more, answers nothing
    TestLab lab = new TestLab().upstream("raw", backend.port).proxy("upstreamTimeoutMs", 200).start(vertx);
    try (Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      out.write(ascii("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 67108864\r\n\r\n"));
      byte[] block = new byte[64 * 1024];
      // The proxy stops reading the client once the backend's buffers are full; the client's writes then
      // block, so write from another thread and let the 504 end it.
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 1024; i++) {
            out.write(block);
          }
        } catch (Exception ignored) {
          // the proxy closed the connection after its 504
        }
      });
      writer.start();
      RawHttp.Reply reply = RawHttp.readAll(client.getInputStream());
      assertEquals(List.of(504), reply.statuses(), reply.text());
      assertTrue(reply.closed(), "the rest of the body is read and dropped, then the connection closes");
      writer.join(10_000);
    } finally {
      backend.close(); // first: the lab's stop would otherwise wait on the connection this backend holds
      lab.close();
    }
  }

  /** Writes up to {@code left[0]} bytes, completing {@code full} the first time the socket pushes back. */
  private static void writeUntilFull(NetSocket socket, int[] left, Promise<Void> full) {
    while (left[0] > 0) {
      int n = Math.min(64 * 1024, left[0]);
      socket.write(Buffer.buffer(new byte[n]));
      left[0] -= n;
      if (socket.writeQueueFull()) {
        full.tryComplete();
        socket.drainHandler(v -> writeUntilFull(socket, left, full));
        return;
      }
    }
  }

  @Test
  void truncatedChunkedUpstreamBodyGetsNoMadeUpFinalChunk(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n").onComplete(ar -> socket.close()));
         TestLab lab = new TestLab().upstream("raw", backend.port).start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), GET);
      assertEquals(200, reply.status(), reply.text());
      assertTrue(reply.closed());
      assertTrue(reply.body().contains("hello"), reply.text());
      assertFalse(reply.body().contains("0\r\n\r\n"), "no final chunk: " + reply.text());
    }
  }

  @Test
  void clientGoneMidResponseAbortsTheUpstreamRequestAndItsConnection(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")); // and never finishes
         TestLab lab = new TestLab().upstream("raw", backend.port).start(vertx)) {
      try (Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
        client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
        client.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertTrue(RawHttp.readHead(client.getInputStream()).startsWith("HTTP/1.1 200"));
      } // the client leaves mid-body
      backend.first().awaitClosed(); // not kept for reuse in an unknown state
      assertEquals(1, backend.connections.size());
    }
  }

  @Test
  void upstreamAnsweringBeforeTheBodyEndsIsForwardedThenBothSidesClosed(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 2\r\n\r\nno"));
         TestLab lab = new TestLab().upstream("raw", backend.port).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      out.write(ascii("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000)));
      out.flush();
      RawHttp.Reply reply = RawHttp.readAll(client.getInputStream());
      assertEquals(List.of(413), reply.statuses(), reply.text());
      assertEquals("no", reply.body());
      assertTrue(reply.text().toLowerCase().contains("connection: close"), reply.text());
      assertTrue(reply.closed(), "client side closed");
      backend.first().awaitClosed();
    }
  }

  @Test
  void aClientStillUploadingAfterAnEarlyAnswerIsNotReset(Vertx vertx) throws Exception {
    // Closing at once with the client's bytes unread makes the kernel answer them with a reset; the
    // proxy half-closes instead, drops the rest of the body, and closes when it has ended.
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 2\r\n\r\nno"));
         TestLab lab = new TestLab().upstream("raw", backend.port).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      InputStream in = client.getInputStream();
      int length = 200_000;
      out.write(ascii("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + length + "\r\n\r\n" + "x".repeat(1000)));
      out.flush();
      String head = RawHttp.readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 413"), head);
      assertEquals("no", new String(in.readNBytes(2), StandardCharsets.US_ASCII));
      assertEquals(-1, in.read(), "end of stream right after the answer");
      byte[] chunk = "y".repeat(1000).getBytes(StandardCharsets.US_ASCII);
      for (int sent = 1000; sent < length; sent += chunk.length) {
        out.write(chunk); // a reset would fail one of these writes
        out.flush();
      }
      backend.first().awaitClosed();
      RawHttp.Reply rest = RawHttp.readAll(in);
      assertTrue(rest.closed(), "closed once the body ended");
    }
  }

  @Test
  void expect100ContinueGets100ThenTheBodyIsForwarded(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b", constant(0)).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      InputStream in = client.getInputStream();
      out.write(ascii("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"));
      out.flush();
      String interim = RawHttp.readHead(in); // a strict client sends nothing before this
      assertTrue(interim.startsWith("HTTP/1.1 100"), interim);
      out.write(ascii("hello"));
      out.flush();
      RawHttp.Reply reply = RawHttp.readAll(in);
      assertEquals(List.of(200), reply.statuses(), reply.text());
      assertTrue(reply.text().contains("X-Request-Body-Bytes: 5"), reply.text());
    }
  }

  @Test
  void expect100ContinueIsNotPassedToTheBackend(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) -> { });
         TestLab lab = new TestLab().upstream("raw", backend.port).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      client.getOutputStream().write(ascii("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
      assertTrue(RawHttp.readHead(client.getInputStream()).startsWith("HTTP/1.1 100"));
      client.getOutputStream().write(ascii("hello")); // the upstream head goes out with the first body bytes
      String head = backend.first().head.future().await(10, TimeUnit.SECONDS).toLowerCase();
      assertFalse(head.contains("expect:"), head);
    }
  }

  @Test
  void expect100ContinueWithATooLargeBodyGets413WithoutA100(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b", constant(0)).proxySetting("limits", "maxBodyBytes", 10).start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(),
        "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n");
      assertEquals(List.of(413), reply.statuses(), reply.text());
      assertEquals(0, lab.served("b"));
    }
  }
}
