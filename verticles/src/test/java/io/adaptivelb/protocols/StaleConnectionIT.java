package io.adaptivelb.protocols;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backend that answers one request per connection with keep-alive, then closes the connection when
 * the next request arrives on it (a keep-alive timeout racing the proxy's): every request still gets
 * its answer, sent again on a fresh connection, with no retry allowed and a backend that one failure
 * would eject.
 */
@ExtendWith(VertxExtension.class)
class StaleConnectionIT {

  @Test
  void aReusedConnectionClosedBeforeAnsweringIsReplacedNotCountedAgainstTheBackend(Vertx vertx) throws Exception {
    AtomicInteger connections = new AtomicInteger();
    NetServer backend = vertx.createNetServer().connectHandler(socket -> {
      connections.incrementAndGet();
      StringBuilder received = new StringBuilder();
      int[] answered = {0};
      socket.handler(chunk -> {
        received.append(chunk.toString(StandardCharsets.ISO_8859_1));
        if (received.indexOf("\r\n\r\n") < 0) {
          return;
        }
        received.setLength(0);
        if (answered[0]++ == 0) {
          socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        } else {
          socket.close(); // the second request on a connection: closed unanswered
        }
      });
    });
    int port = backend.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    try (TestLab lab = new TestLab().upstream("once", port)
      .proxySetting("retries", "maxAttempts", 1)
      .proxySetting("health.passive", "consecutiveFailures", 1).start(vertx)) {
      for (int i = 0; i < 5; i++) {
        var response = lab.get("/again/" + i);
        assertEquals(200, response.statusCode(), "request " + i + ": " + response.body());
        assertEquals("ok", response.body());
      }
      assertTrue(connections.get() >= 5, "one connection per answered request, got " + connections.get());
    } finally {
      backend.close().await(10, TimeUnit.SECONDS);
    }
  }
}
