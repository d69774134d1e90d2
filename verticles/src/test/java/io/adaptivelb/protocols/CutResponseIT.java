package io.adaptivelb.protocols;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backend that dies in the middle of a response body: the client sees the connection cut, the CSV
 * logs the request as cut (592) rather than the 200 the client saw in the status line, and passive
 * health takes the backend out (one failure ejects here), so the next requests go to the other one.
 * An HTTP/2 client's cut stream is reset with an error code, never NO_ERROR.
 */
@ExtendWith(VertxExtension.class)
class CutResponseIT {

  @Test
  void aResponseCutMidBodyIsLoggedAsCutAndCountsAsAFailure(Vertx vertx, @TempDir Path dir) throws Exception {
    NetServer dying = vertx.createNetServer().connectHandler(socket -> socket.handler(chunk -> {
      socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000))
        .onComplete(v -> socket.close()); // 99,000 bytes short
    }));
    int dyingPort = dying.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    Path csv = dir.resolve("log.csv");
    try (EchoBackend healthy = new EchoBackend(vertx);
         TestLab lab = new TestLab().upstream("dying", dyingPort).upstream("healthy", healthy.port)
           .proxySetting("health.passive", "consecutiveFailures", 1).proxySetting("retries", "maxAttempts", 1)
           .csv(csv.toString()).start(vertx)) {
      // round-robin: the first request goes to "dying"
      assertThrows(IOException.class, () -> lab.get("/cut"));
      for (int i = 0; i < 4; i++) {
        assertEquals(200, lab.get("/after/" + i).statusCode()); // "dying" is ejected: all go to "healthy"
      }
      assertEquals(4, healthy.requests.size());
      String log = Eventually.await(Duration.ofSeconds(10), () -> Files.exists(csv) ? Files.readString(csv) : "",
        text -> text.contains(",/cut,") && text.contains("/after/3"));
      String cutRow = log.lines().filter(l -> l.contains(",/cut,")).findFirst().orElseThrow();
      assertTrue(cutRow.contains(",dying,592,"), cutRow);
    } finally {
      dying.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Without a length only the reset's code tells an h2 client the end is not real: NO_ERROR would read as one. */
  @Test
  void aResponseCutOverHttp2ResetsItsStreamWithAnError(Vertx vertx) throws Exception {
    NetServer dying = vertx.createNetServer().connectHandler(socket -> socket.handler(chunk -> {
      socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n"
        + "x".repeat(1000) + "\r\n").onComplete(v -> socket.close()); // no last chunk
    }));
    int dyingPort = dying.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    try (TestLab lab = new TestLab().upstream("dying", dyingPort).proxy("http2", true).start(vertx);
         RawH2 h2 = RawH2.priorKnowledge(lab.lab().proxyPort())) {
      h2.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/cut", ":authority", "localhost");
      RawH2.Frame head = h2.answerTo(1);
      assertEquals(RawH2.HEADERS, head.type());
      assertEquals("200", h2.decode(head).status().toString());
      RawH2.Frame end = h2.resetOf(1);
      assertEquals(RawH2.RST_STREAM, end.type());
      assertEquals(2, RawH2.errorCode(end)); // INTERNAL_ERROR, as nginx
    } finally {
      dying.close().await(10, TimeUnit.SECONDS);
    }
  }
}
