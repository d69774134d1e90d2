package io.adaptivelb.protocols;

import io.adaptivelb.RawHttp;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/1.0 clients asking for keep-alive: a streamed response (the backend sent it chunked, or
 * delimited by closing) reaches them without chunked encoding, marked {@code Connection: close}, and
 * the connection closes after it; a response with a length keeps the connection. {@code ab -k} (an
 * HTTP/1.0 keep-alive client) completes against a chunked backend.
 */
@ExtendWith(VertxExtension.class)
class Http10ClientsIT {

  private static final String KEEP_ALIVE_1_0 = "GET /old HTTP/1.0\r\nHost: old.example\r\nConnection: keep-alive\r\n"
    + "Accept-Encoding: gzip\r\n\r\n";

  /** A backend that answers every request head it reads with {@code answer}. */
  private static int backend(Vertx vertx, Consumer<NetSocket> answer) throws Exception {
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      StringBuilder pending = new StringBuilder(); // requests without bodies: heads only
      socket.handler(chunk -> {
        pending.append(chunk.toString(StandardCharsets.ISO_8859_1));
        int end;
        while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
          pending.delete(0, end + 4);
          answer.accept(socket);
        }
      });
    });
    return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  private static void chunked(NetSocket socket) {
    socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
    socket.write("6\r\n world\r\n0\r\n\r\n");
  }

  private static void closeDelimited(NetSocket socket) {
    socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nhello");
    socket.write(" world").onComplete(v -> socket.close());
  }

  private static void withLength(NetSocket socket) {
    socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world");
  }

  @Test
  void aChunkedResponseReachesAKeepAlive10ClientCloseDelimited(Vertx vertx) throws Exception {
    assertCloseDelimited(vertx, backend(vertx, Http10ClientsIT::chunked));
  }

  @Test
  void aCloseDelimitedResponseReachesAKeepAlive10ClientCloseDelimited(Vertx vertx) throws Exception {
    assertCloseDelimited(vertx, backend(vertx, Http10ClientsIT::closeDelimited));
  }

  private static void assertCloseDelimited(Vertx vertx, int backendPort) throws Exception {
    try (TestLab lab = new TestLab().upstream("b", backendPort).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      client.getOutputStream().write(KEEP_ALIVE_1_0.getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply reply = RawHttp.readAll(client.getInputStream());
      assertTrue(reply.closed(), "the proxy kept the connection of a close-delimited response open: " + reply.text());
      String response = reply.text();
      String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
      assertTrue(head.startsWith("http/1.0 200"), head);
      assertFalse(head.contains("transfer-encoding"), head);
      assertFalse(head.contains("keep-alive"), head);
      assertTrue(head.contains("connection: close"), head);
      assertEquals("hello world", response.substring(response.indexOf("\r\n\r\n") + 4));
    }
  }

  @Test
  void aResponseWithALengthKeepsTheConnection(Vertx vertx) throws Exception {
    int port = backend(vertx, Http10ClientsIT::withLength);
    try (TestLab lab = new TestLab().upstream("b", port).start(vertx);
         Socket client = new Socket("127.0.0.1", lab.lab().proxyPort())) {
      client.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
      for (int i = 0; i < 2; i++) {
        client.getOutputStream().write(KEEP_ALIVE_1_0.getBytes(StandardCharsets.US_ASCII));
        String head = RawHttp.readHead(client.getInputStream()).toLowerCase();
        assertTrue(head.contains("connection: keep-alive"), head);
        assertTrue(head.contains("content-length: 11"), head);
        assertEquals("hello world", new String(client.getInputStream().readNBytes(11), StandardCharsets.US_ASCII));
      }
    }
  }

  @Test
  void abKeepAliveCompletesAgainstAChunkedBackend(Vertx vertx) throws Exception {
    int port = backend(vertx, Http10ClientsIT::chunked);
    try (TestLab lab = new TestLab().upstream("b", port).start(vertx)) {
      Process ab = new ProcessBuilder("ab", "-k", "-n", "50", "-c", "4", "-s", "10", "-H", "Accept-Encoding: gzip",
        "http://127.0.0.1:" + lab.lab().proxyPort() + "/ab").redirectErrorStream(true).start();
      String out = new String(ab.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(ab.waitFor(60, TimeUnit.SECONDS), out);
      assertEquals(0, ab.exitValue(), out);
      assertTrue(out.contains("Complete requests:      50"), out);
      assertTrue(out.contains("Failed requests:        0"), out);
    }
  }
}
