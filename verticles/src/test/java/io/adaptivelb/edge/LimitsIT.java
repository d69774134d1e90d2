package io.adaptivelb.edge;

import io.adaptivelb.Eventually;
import io.adaptivelb.RawHttp;
import io.adaptivelb.TestLab;
import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.LabConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each {@code proxy.limits.*} setting with the status it answers, on raw sockets. */
@ExtendWith(VertxExtension.class)
class LimitsIT {

  private static TestLab limited(TestLab lab, String key, Object value) {
    return lab.proxySetting("limits", key, value);
  }

  /** One GET answered 200 on a kept-alive connection, its 64-byte body read. */
  private static void getOnce(OutputStream out, InputStream in) throws Exception {
    out.write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertTrue(RawHttp.readHead(in).startsWith("HTTP/1.1 200"));
    in.readNBytes(64); // the simulated backend's body
  }

  private static void assertRefusedBeforeBackend(TestLab lab, int status, String request) throws Exception {
    long before = lab.served("b");
    RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), request);
    assertEquals(List.of(status), reply.statuses(), reply.text());
    assertTrue(reply.closed());
    assertEquals(before, lab.served("b"), "no backend was contacted");
  }

  @Test
  void requestLineOverTheLimitIs414(Vertx vertx) throws Exception {
    try (TestLab lab = limited(new TestLab().backend("b", constant(0)), "maxRequestLineBytes", 256).start(vertx)) {
      assertRefusedBeforeBackend(lab, 414, "GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: a\r\n\r\n");
      assertEquals(200, RawHttp.send(lab.lab().proxyPort(), "GET /" + "a".repeat(200) + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").status());
    }
  }

  @Test
  void headerBytesOverTheLimitAre431(Vertx vertx) throws Exception {
    try (TestLab lab = limited(new TestLab().backend("b", constant(0)), "maxHeaderBytes", 1024).start(vertx)) {
      assertRefusedBeforeBackend(lab, 431, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(1100) + "\r\n\r\n");
    }
  }

  @Test
  void headerCountOverTheLimitIs431(Vertx vertx) throws Exception {
    try (TestLab lab = limited(new TestLab().backend("b", constant(0)), "maxHeaderCount", 10).start(vertx)) {
      StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
      for (int i = 0; i < 10; i++) {
        many.append("X-").append(i).append(": v\r\n");
      }
      assertRefusedBeforeBackend(lab, 431, many + "\r\n");
      assertEquals(200, RawHttp.send(lab.lab().proxyPort(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").status());
    }
  }

  @Test
  void declaredBodyOverTheLimitIs413BeforeAnyBackendIsContacted(Vertx vertx) throws Exception {
    try (TestLab lab = limited(new TestLab().backend("b", constant(0)), "maxBodyBytes", 1000).start(vertx)) {
      // the client announces the size and sends nothing more: the answer must not wait for the body
      assertRefusedBeforeBackend(lab, 413, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n");
      RawHttp.Reply ok = RawHttp.send(lab.lab().proxyPort(), "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
        + "x".repeat(1000));
      assertEquals(200, ok.status(), ok.text());
      assertTrue(ok.text().contains("X-Request-Body-Bytes: 1000"), ok.text());
    }
  }

  @Test
  void chunkedBodyGrowingPastTheLimitIs413AndCutOnBothSides(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) -> { });
         TestLab lab = limited(new TestLab().upstream("raw", backend.port), "maxBodyBytes", 1000).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      out.write("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(("258\r\n" + "x".repeat(600) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      RawBackend.Conn conn = backend.first();
      conn.head.future().await(10, java.util.concurrent.TimeUnit.SECONDS);
      out.write(("258\r\n" + "y".repeat(600) + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      RawHttp.Reply reply = RawHttp.readAll(client.getInputStream());
      assertEquals(List.of(413), reply.statuses(), reply.text());
      assertTrue(reply.closed(), "client connection cut");
      conn.awaitClosed();
      assertFalse(conn.text().contains("y"), "no byte past the limit reached the backend");
      assertFalse(conn.text().endsWith("0\r\n\r\n"), "the backend never saw a complete body: " + conn.text().length());
    }
  }

  @Test
  void slowHeadIsAnswered408AndClosed(Vertx vertx) throws Exception {
    try (TestLab lab = limited(new TestLab().backend("b", constant(0)), "headerTimeoutMs", 300).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      client.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply reply = RawHttp.readAll(client.getInputStream());
      assertEquals(List.of(408), reply.statuses(), reply.text());
      assertTrue(reply.closed());
      assertEquals(0, lab.served("b"));
    }
  }

  @Test
  void silentConnectionIsAnswered408AndClosed(Vertx vertx) throws Exception {
    try (TestLab lab = limited(new TestLab().backend("b", constant(0)), "headerTimeoutMs", 300).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      RawHttp.Reply reply = RawHttp.readAll(client.getInputStream());
      assertEquals(List.of(408), reply.statuses(), reply.text());
      assertTrue(reply.closed());
    }
  }

  @Test
  void headTimeoutDoesNotHitAKeepAliveConnectionBetweenRequests(Vertx vertx) throws Exception {
    try (TestLab lab = limited(new TestLab().backend("b", constant(0)), "headerTimeoutMs", 300).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      InputStream in = client.getInputStream();
      getOnce(out, in);
      // A client thinking longer than the head timeout between requests is not a slowloris. The clock:
      // a second connection started now with a partial head gets its 408 only after the timeout passed.
      RawHttp.Reply clock = RawHttp.send(lab.lab().proxyPort(), "GET /clock HTTP/1.1\r\nHost: a\r\n");
      assertEquals(List.of(408), clock.statuses(), clock.text());
      out.write("GET /again HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply again = RawHttp.readAll(in);
      assertEquals(List.of(200), again.statuses(), again.text());
    }
  }

  @Test
  void slowHeadOfALaterRequestOnAKeepAliveConnectionIs408(Vertx vertx) throws Exception {
    // The head clock rests between requests and must start again with the next head's first byte.
    try (TestLab lab = limited(new TestLab().backend("b", constant(0)), "headerTimeoutMs", 300).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      InputStream in = client.getInputStream();
      for (int i = 0; i < 3; i++) {
        getOnce(out, in);
      }
      out.write("GET /slow HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply reply = RawHttp.readAll(in);
      assertEquals(List.of(408), reply.statuses(), reply.text());
      assertTrue(reply.closed());
      assertEquals(3, lab.served("b"));
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheClientIdleTimeout(Vertx vertx) throws Exception {
    // The head clock set far beyond the read timeout, so only the idle clock can close this connection in time.
    TestLab idle = limited(limited(new TestLab().backend("b", constant(0)), "clientIdleTimeoutSec", 1), "headerTimeoutMs", 60_000);
    try (TestLab lab = idle.start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      OutputStream out = client.getOutputStream();
      InputStream in = client.getInputStream();
      getOnce(out, in);
      RawHttp.Reply after = RawHttp.readAll(in); // returns when the proxy closes; a read timeout fails the test
      assertTrue(after.closed(), "closed by the proxy");
      assertEquals(List.of(), after.statuses(), "nothing written before the close: " + after.text());
    }
  }

  @Test
  void clientSilentMidBodyIs408AndCutAndTheBackendNeverGetsAWholeRequest(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) -> { });
         TestLab lab = limited(new TestLab().upstream("raw", backend.port), "bodyIdleTimeoutMs", 300).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      client.getOutputStream().write("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply reply = RawHttp.readAll(client.getInputStream());
      assertEquals(List.of(408), reply.statuses(), reply.text());
      assertTrue(reply.closed(), "client connection closed: " + reply.text());
      RawBackend.Conn conn = backend.first();
      conn.awaitClosed();
      assertFalse(conn.text().endsWith("abc" + "x".repeat(7)));
    }
  }

  @Test
  void connectionsBeyondTheCapGet503(Vertx vertx) throws Exception {
    try (TestLab lab = limited(new TestLab().backend("b", constant(0)), "maxClientConnections", 2).start(vertx)) {
      int port = lab.lab().proxyPort();
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          Socket s = new Socket("127.0.0.1", port);
          s.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
          s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          assertTrue(RawHttp.readHead(s.getInputStream()).startsWith("HTTP/1.1 200"));
          held.add(s);
        }
        RawHttp.Reply third = RawHttp.send(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertEquals(List.of(503), third.statuses(), third.text());
        assertTrue(third.closed());
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      // the count goes down as connections close: a new one is served again
      Eventually.await(Duration.ofSeconds(10),
        () -> RawHttp.send(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").status(), s -> s == 200);
    }
  }

  @Test
  void upstreamStatusLineOverTheLimitIs502(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 200 " + "O".repeat(400) + "\r\nContent-Length: 2\r\n\r\nok"));
         TestLab lab = limited(new TestLab().upstream("raw", backend.port), "upstreamMaxStatusLineBytes", 256).start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      assertEquals(List.of(502), reply.statuses(), reply.text());
      backend.first().awaitClosed();
    }
  }

  @Test
  void upstreamHeadersOverTheLimitAre502(Vertx vertx) throws Exception {
    try (RawBackend backend = new RawBackend(vertx, (socket, conn) ->
           socket.write("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(2000) + "\r\nContent-Length: 2\r\n\r\nok"));
         TestLab lab = limited(new TestLab().upstream("raw", backend.port), "upstreamMaxHeaderBytes", 1024).start(vertx)) {
      RawHttp.Reply reply = RawHttp.send(lab.lab().proxyPort(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      assertEquals(List.of(502), reply.statuses(), reply.text());
      backend.first().awaitClosed();
    }
  }

  @Test
  void limitsAreValidatedAndNamedInConfigErrors() {
    JsonObject json = new TestLab().upstream("b", 9).proxySetting("limits", "maxBodyByte", 5).json();
    ConfigException unknown = assertThrows(ConfigException.class, () -> LabConfig.parse(json));
    assertTrue(unknown.getMessage().contains("proxy.limits.maxBodyByte"), unknown.getMessage());
    JsonObject range = new TestLab().upstream("b", 9).proxySetting("limits", "headerTimeoutMs", 0).json();
    ConfigException low = assertThrows(ConfigException.class, () -> LabConfig.parse(range));
    assertTrue(low.getMessage().contains("proxy.limits.headerTimeoutMs"), low.getMessage());
  }

  @Test
  void defaultsAreSafeAndRoomy() {
    var limits = LabConfig.parse(new TestLab().upstream("b", 9).json()).proxy().limits();
    assertEquals(8192, limits.maxRequestLineBytes());
    assertEquals(16_384, limits.maxHeaderBytes());
    assertEquals(100, limits.maxHeaderCount());
    assertEquals(100 * 1024 * 1024, limits.maxBodyBytes());
    assertEquals(10_000, limits.headerTimeoutMs());
  }
}
