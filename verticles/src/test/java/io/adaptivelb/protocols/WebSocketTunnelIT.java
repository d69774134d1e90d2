package io.adaptivelb.protocols;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket (and other HTTP/1.1 upgrades) through the proxy, with a Vert.x WebSocket server behind it
 * and a Vert.x WebSocket client in front: the handshake is forwarded and the backend's 101 relayed,
 * then the bytes go both ways, with back-pressure, until either side closes or the tunnel idles out;
 * one CSV row and one access-log line per tunnel.
 */
@ExtendWith(VertxExtension.class)
class WebSocketTunnelIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Held for the test's length: a client nobody references is closed by its cleaner, connections and all. */
  private WebSocketClient client;

  private WebSocketClient client(Vertx vertx) {
    if (client == null) {
      client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(WebSocketBackend.MAX_MESSAGE)
        .setReceiveBufferSize(64 * 1024));
    }
    return client;
  }

  private WebSocket connect(Vertx vertx, TestLab lab, String path) throws Exception {
    return client(vertx).connect(lab.lab().proxyPort(), "127.0.0.1", path).await(10, TimeUnit.SECONDS);
  }

  @Test
  void textIsEchoedAndPlainRequestsToTheSameBackendGoOnOtherConnections(Vertx vertx) throws Exception {
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).start(vertx)) {
      WebSocket ws = connect(vertx, lab, "/echo");
      ServerWebSocket accepted = backend.opened.future().await(10, TimeUnit.SECONDS);
      assertEquals("websocket", accepted.headers().get("Upgrade").toLowerCase());
      assertTrue(accepted.headers().get("X-Forwarded-For").contains("127.0.0.1"), accepted.headers().toString());
      assertTrue(ws.headers().contains("X-Request-Id"), "the proxy's own header on the 101: " + ws.headers());

      assertEquals("hello", echo(ws, "hello"));
      // while the tunnel is open, an ordinary request to the same backend gets a connection of its own
      assertEquals("plain null", lab.get("/plain").body());
      assertEquals("still here", echo(ws, "still here"));
      ws.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static String echo(WebSocket ws, String text) throws Exception {
    Promise<String> back = Promise.promise();
    ws.textMessageHandler(back::tryComplete);
    ws.writeTextMessage(text);
    return back.future().await(10, TimeUnit.SECONDS);
  }

  /** wss: TLS ends at the proxy, and the backend is reached over TLS again; the tunnel is the same. */
  @Test
  void wssThroughTlsTerminationToAnHttpsBackend(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    Path[] localhost = certs.issue("server", "localhost", "DNS:localhost,IP:127.0.0.1");
    try (WebSocketBackend backend = new WebSocketBackend(vertx, localhost);
         TestLab lab = new TestLab().upstreamUrl("wss", "https://localhost:" + backend.port)
           .proxy("upstreamTls", new JsonObject().put("caFile", certs.ca.toString()))
           .proxy("tls", new JsonObject().put("cert", localhost[0].toString()).put("key", localhost[1].toString()))
           .proxy("http2", true).start(vertx)) {
      client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(certs.ca.toString())));
      WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("localhost").setPort(lab.lab().proxyPort())
        .setURI("/echo")).await(10, TimeUnit.SECONDS);
      assertEquals("secret", echo(ws, "secret"));
      assertEquals("https", backend.opened.future().await(10, TimeUnit.SECONDS).headers().get("X-Forwarded-Proto"));
    }
  }

  @Test
  void aBinaryMessageOfOneMebibyteComesBackIntact(Vertx vertx) throws Exception {
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).start(vertx)) {
      byte[] sent = new byte[1024 * 1024];
      new Random(7).nextBytes(sent);
      WebSocket ws = connect(vertx, lab, "/echo");
      Promise<Buffer> back = Promise.promise();
      ws.binaryMessageHandler(back::tryComplete);
      ws.writeBinaryMessage(Buffer.buffer(sent));
      assertArrayEquals(sent, back.future().await(20, TimeUnit.SECONDS).getBytes());
    }
  }

  @Test
  void aCloseFromTheClientReachesTheBackend(Vertx vertx) throws Exception {
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).start(vertx)) {
      WebSocket ws = connect(vertx, lab, "/echo");
      backend.opened.future().await(10, TimeUnit.SECONDS);
      ws.close((short) 1000, "done");
      assertEquals((short) 1000, backend.closed.future().await(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aCloseFromTheBackendReachesTheClient(Vertx vertx) throws Exception {
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).start(vertx)) {
      WebSocket ws = connect(vertx, lab, "/bye");
      Promise<Short> closed = Promise.promise();
      ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
      ws.writeTextMessage("go");
      // the backend's close frame went out just before its TCP close: the proxy delivered it first
      assertEquals((short) 4001, closed.future().await(10, TimeUnit.SECONDS));
      assertEquals("bye", ws.closeReason());
    }
  }

  @Test
  void aRefusedUpgradeIsRelayedAsTheBackendsAnswer(Vertx vertx) throws Exception {
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).start(vertx)) {
      Throwable refused = client(vertx).connect(lab.lab().proxyPort(), "127.0.0.1", "/refuse")
        .map(ws -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
      assertInstanceOf(UpgradeRejectedException.class, refused);
      assertEquals(403, ((UpgradeRejectedException) refused).getStatus());
      assertEquals("plain null", lab.get("/after").body()); // the proxy serves on as before
    }
  }

  @Test
  void withWebsocketOffAnUpgradeIsRefusedWith501AndNeverForwarded(Vertx vertx) throws Exception {
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).proxy("websocket", false).start(vertx)) {
      Throwable refused = client(vertx).connect(lab.lab().proxyPort(), "127.0.0.1", "/echo")
        .map(ws -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
      assertInstanceOf(UpgradeRejectedException.class, refused);
      assertEquals(501, ((UpgradeRejectedException) refused).getStatus());
      assertFalse(backend.opened.future().isComplete());
      assertEquals("plain null", lab.get("/plain").body());
    }
  }

  @Test
  void aTunnelIsOneCsvRowAndOneAccessLogLineWithItsBytesBothWays(Vertx vertx, @TempDir Path dir) throws Exception {
    Path csv = dir.resolve("proxy_log.csv");
    Path access = dir.resolve("access.log");
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).csv(csv.toString())
           .proxy("accessLog", new JsonObject().put("path", access.toString()).put("format", "json")).start(vertx)) {
      WebSocket ws = connect(vertx, lab, "/echo");
      assertEquals("x".repeat(1000), echo(ws, "x".repeat(1000)));
      ws.close().await(10, TimeUnit.SECONDS);
      backend.closed.future().await(10, TimeUnit.SECONDS);

      List<String> rows = Eventually.await(WAIT, () -> Files.readAllLines(csv),
        lines -> lines.stream().anyMatch(l -> l.contains(",101,")));
      assertEquals(2, rows.size(), "the header and one row: " + rows);
      String[] row = rows.get(1).split(",");
      assertEquals("bytes_in", rows.get(0).split(",")[12]);
      assertEquals("/echo", row[3]);
      assertEquals("ws", row[4]);
      assertEquals("101", row[5]);
      assertTrue(Double.parseDouble(row[7]) >= Double.parseDouble(row[6]), "lifetime, then handshake: " + rows.get(1));
      assertTrue(Long.parseLong(row[8]) > 1000, "bytes to the client: " + rows.get(1));
      assertTrue(Long.parseLong(row[12]) > 1000, "bytes from the client: " + rows.get(1));

      List<String> lines = Eventually.await(WAIT, () -> Files.exists(access) ? Files.readAllLines(access) : List.of(),
        l -> !l.isEmpty());
      assertEquals(1, lines.size(), lines.toString());
      JsonObject line = new JsonObject(lines.get(0));
      assertEquals(101, line.getInteger("status"));
      assertEquals("ws", line.getString("backend"));
      assertTrue(line.getLong("bytesIn") > 1000 && line.getLong("bytesOut") > 1000, line.encode());
    }
  }

  /** A stop waits shutdownTimeoutSec for tunnels as for requests, then closes them, and their rows are written. */
  @Test
  void aStoppingProxyClosesItsTunnelsAndStillLogsThem(Vertx vertx, @TempDir Path dir) throws Exception {
    Path csv = dir.resolve("proxy_log.csv");
    try (WebSocketBackend backend = new WebSocketBackend(vertx)) {
      TestLab lab = new TestLab().upstream("ws", backend.port).csv(csv.toString()).proxy("shutdownTimeoutSec", 1)
        .start(vertx);
      WebSocket ws = connect(vertx, lab, "/echo");
      Promise<Void> clientClosed = Promise.promise();
      ws.closeHandler(v -> clientClosed.tryComplete());
      assertEquals("before the stop", echo(ws, "before the stop"));
      lab.close(); // the ordered stop: the proxies, then the metrics role writes the rest
      clientClosed.future().await(10, TimeUnit.SECONDS);
      backend.closed.future().await(10, TimeUnit.SECONDS);
      List<String> rows = Files.readAllLines(csv);
      assertEquals(2, rows.size(), rows.toString());
      assertEquals("101", rows.get(1).split(",")[5], rows.get(1));
    }
  }

  @Test
  void anIdleTunnelIsClosedOnBothSides(Vertx vertx) throws Exception {
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).proxy("tunnelIdleTimeoutMs", 300).start(vertx)) {
      WebSocket ws = connect(vertx, lab, "/echo");
      Promise<Void> clientClosed = Promise.promise();
      try {
        ws.closeHandler(v -> clientClosed.tryComplete());
      } catch (IllegalStateException alreadyClosed) { // 300 ms of nothing may pass before this line on a busy machine
        clientClosed.tryComplete();
      }
      clientClosed.future().await(10, TimeUnit.SECONDS);
      backend.closed.future().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aClientThatStopsReadingHoldsTheBackendBack(Vertx vertx) throws Exception {
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).start(vertx)) {
      WebSocket ws = connect(vertx, lab, "/flood");
      ws.pause(); // reads nothing more: the proxy must stop reading the backend rather than buffer for the client
      long stuckAt = stalled(backend.flood);
      assertTrue(stuckAt < backend.flood.limit() / 2, "the backend wrote " + stuckAt + " bytes to a client that reads none");
      ws.resume(); // the queues drain, the proxy reads the backend again
      Eventually.await(WAIT, backend.flood::written, n -> n > stuckAt);
    }
  }

  @Test
  void aBackendThatStopsReadingHoldsTheClientBack(Vertx vertx) throws Exception {
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).start(vertx)) {
      WebSocket ws = connect(vertx, lab, "/sink");
      ServerWebSocket sink = backend.opened.future().await(10, TimeUnit.SECONDS);
      WebSocketBackend.Flood flood = new WebSocketBackend.Flood(64 * 1024, 256L * 1024 * 1024);
      flood.start(ws, vertx.getOrCreateContext());
      long stuckAt = stalled(flood);
      assertTrue(stuckAt < flood.limit() / 2, "the client wrote " + stuckAt + " bytes to a backend that reads none");
      sink.handler(data -> { }).resume();
      Eventually.await(WAIT, flood::written, n -> n > stuckAt);
    }
  }

  /**
   * Waits until a flood makes no progress for a second (or has written everything), and returns how far
   * it got. A stall on a busy machine only makes the number smaller: it never lets a proxy that buffers
   * without bound pass.
   */
  private static long stalled(WebSocketBackend.Flood flood) throws Exception {
    long[] last = {-1};
    long[] since = {System.nanoTime()};
    return Eventually.await(Duration.ofSeconds(60), () -> {
      long now = flood.written();
      if (now != last[0]) {
        last[0] = now;
        since[0] = System.nanoTime();
      }
      return now;
    }, n -> n >= flood.limit() || (n > 0 && System.nanoTime() - since[0] > TimeUnit.SECONDS.toNanos(1)));
  }

  /**
   * Any protocol the backend switches to, not only WebSocket: a raw server that answers the upgrade with
   * a 101 and a greeting in the same write, then echoes. The greeting reaches the client, then the echo.
   */
  @Test
  void anyUpgradeTheBackendAcceptsIsTunnelledWithTheBytesThatCameWithIts101(Vertx vertx) throws Exception {
    NetServer raw = vertx.createNetServer().connectHandler(socket -> {
      Buffer head = Buffer.buffer();
      boolean[] switched = {false};
      socket.handler(chunk -> {
        if (switched[0]) {
          socket.write(chunk);
          return;
        }
        head.appendBuffer(chunk);
        String request = head.toString().toLowerCase();
        if (request.contains("\r\n\r\n")) {
          switched[0] = request.contains("\r\nupgrade: echo/1\r\n") && request.contains("\r\nconnection: upgrade\r\n");
          socket.write(switched[0] ? "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo/1\r\n\r\nhello\n"
            : "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
      });
    });
    int port = raw.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    try (TestLab lab = new TestLab().upstream("raw", port).start(vertx);
         Socket socket = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /chat HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: h2c, echo/1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String head = readUntil(in, "\r\n\r\n").toLowerCase();
      assertTrue(head.startsWith("http/1.1 101"), head);
      assertTrue(head.contains("\r\nupgrade: echo/1\r\n") && head.contains("\r\nconnection: upgrade\r\n"), head);
      assertEquals("hello\n", readUntil(in, "\n"));
      out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals("ping\n", readUntil(in, "\n"));
    } finally {
      raw.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A 101 answers only a request that asked to switch: to any other it is a broken backend (502). */
  @Test
  void aSwitchNobodyAskedForIsABadGateway(Vertx vertx) throws Exception {
    NetServer raw = vertx.createNetServer().connectHandler(socket -> socket.handler(chunk ->
      socket.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo/1\r\n\r\n")));
    int port = raw.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    try (TestLab lab = new TestLab().upstream("raw", port).proxySetting("retries", "maxAttempts", 1).start(vertx)) {
      assertEquals(502, lab.get("/plain").statusCode());
    } finally {
      raw.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** RFC 9110 §7.8: an HTTP/1.0 request's Upgrade is ignored, so it is forwarded as a plain request. */
  @Test
  void anHttp10UpgradeIsForwardedAsAPlainRequest(Vertx vertx) throws Exception {
    try (WebSocketBackend backend = new WebSocketBackend(vertx);
         TestLab lab = new TestLab().upstream("ws", backend.port).start(vertx);
         Socket socket = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /echo HTTP/1.0\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(reply.startsWith("HTTP/1.0 200"), reply);
      assertTrue(reply.endsWith("plain null"), reply);
    }
  }

  private static String readUntil(InputStream in, String end) throws Exception {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.US_ASCII).endsWith(end)) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      seen.write(b);
    }
    return seen.toString(StandardCharsets.US_ASCII);
  }
}
