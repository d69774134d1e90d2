package io.adaptivelb.protocols;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * h2c with prior knowledge on the plain port when {@code proxy.http2} is on, while HTTP/1 clients on
 * the same port still meet the strict decoder from their first byte; off, the preface is refused.
 */
@ExtendWith(VertxExtension.class)
class H2cPriorKnowledgeIT {

  @Test
  void priorKnowledgeSpeaksHttp2AndHttp1KeepsItsStrictDecoder(Vertx vertx) throws Exception {
    try (EchoBackend backend = new EchoBackend(vertx);
         TestLab lab = new TestLab().upstream("echo", backend.port).proxy("http2", true).start(vertx)) {
      String base = "http://127.0.0.1:" + lab.lab().proxyPort();
      Curl h2 = Curl.run("--http2-prior-knowledge", "-w", "\n%{http_version}", base + "/h2c");
      assertEquals(0, h2.exit(), h2.err());
      assertTrue(h2.out().startsWith("GET /h2c HTTP_1_1\n"), h2.out());
      assertTrue(h2.out().contains("x-forwarded-proto: http\n"), h2.out());
      assertTrue(h2.out().endsWith("\n2"), h2.out());
      // two streams on one connection (curl 7.88 cannot reuse a prior-knowledge connection, nghttp can)
      Process nghttp = new ProcessBuilder("nghttp", "-n", "--stat", base + "/n1", base + "/n2").redirectErrorStream(true).start();
      String stat = new String(nghttp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, nghttp.waitFor(), stat);
      assertTrue(stat.contains("/n1") && stat.contains("/n2"), stat);

      Curl h1 = Curl.run("--http1.1", "-w", "\n%{http_version}", base + "/h1");
      assertEquals(0, h1.exit(), h1.err());
      assertTrue(h1.out().endsWith("\n1.1"), h1.out());

      // the first request of a connection is checked by the strict decoder, not Vert.x's stock one
      String folded = "GET /folded HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n";
      assertTrue(firstLine(lab.lab().proxyPort(), folded).startsWith("HTTP/1.1 400"));
      // a request line sharing the preface's first bytes is still HTTP/1
      assertTrue(firstLine(lab.lab().proxyPort(), "PRI /x HTTP/1.1\r\nHost: a\r\n\r\n").startsWith("HTTP/1.1 "));

      // malformed HTTP/2 is refused here too
      try (RawH2 raw = RawH2.priorKnowledge(lab.lab().proxyPort())) {
        raw.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/bad", ":authority", "a", "connection", "x");
        RawH2.Frame answer = raw.answerTo(1);
        assertTrue(answer.type() == RawH2.RST_STREAM || answer.type() == RawH2.GOAWAY, "frame " + answer.type());
      }
      assertTrue(backend.requests.stream().noneMatch(r -> r.contains("/bad") || r.contains("/folded")), backend.requests.toString());
      assertTrue(backend.requests.stream().anyMatch(r -> r.startsWith("GET /n2 ")), backend.requests.toString());
    }
  }

  @Test
  void withoutHttp2ThePrefaceIsRefused(Vertx vertx) throws Exception {
    try (EchoBackend backend = new EchoBackend(vertx);
         TestLab lab = new TestLab().upstream("echo", backend.port).start(vertx)) {
      Curl h2 = Curl.run("--http2-prior-knowledge", "http://127.0.0.1:" + lab.lab().proxyPort() + "/");
      assertTrue(h2.exit() != 0, h2.out());
      assertEquals(0, backend.requests.size());
    }
  }

  private static String firstLine(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        line.append((char) b);
      }
      return line.toString();
    }
  }
}
