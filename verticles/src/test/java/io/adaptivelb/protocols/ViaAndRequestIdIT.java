package io.adaptivelb.protocols;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Via} is off unless {@code proxy.via} is true (a stock nginx backend stops compressing for a
 * request that carries it), and the client always gets the request id the backend got.
 */
@ExtendWith(VertxExtension.class)
class ViaAndRequestIdIT {

  @Test
  void noViaByDefaultAndTheRequestIdComesBack(Vertx vertx) throws Exception {
    try (EchoBackend backend = new EchoBackend(vertx);
         TestLab lab = new TestLab().upstream("echo", backend.port).start(vertx)) {
      HttpResponse<String> response = lab.get("/plain");
      assertEquals(200, response.statusCode());
      assertFalse(response.body().contains("via:"), response.body());
      assertTrue(response.headers().firstValue("via").isEmpty(), response.headers().toString());
      String id = response.headers().firstValue("x-request-id").orElseThrow();
      assertTrue(response.body().contains("x-request-id: " + id + "\n"), response.body()); // the same id both ways

      HttpResponse<String> given = lab.http().send(HttpRequest.newBuilder(lab.proxyUri("/given"))
        .header("X-Request-Id", "trace-42").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("trace-42", given.headers().firstValue("x-request-id").orElseThrow());
    }
  }

  @Test
  void viaBothWaysWhenConfigured(Vertx vertx) throws Exception {
    try (EchoBackend backend = new EchoBackend(vertx);
         TestLab lab = new TestLab().upstream("echo", backend.port).proxy("via", true).start(vertx)) {
      HttpResponse<String> response = lab.get("/via");
      assertTrue(response.body().contains("via: 1.1 adaptive-lb\n"), response.body());
      assertEquals("1.1 adaptive-lb", response.headers().firstValue("via").orElseThrow());
    }
  }
}
