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
}
