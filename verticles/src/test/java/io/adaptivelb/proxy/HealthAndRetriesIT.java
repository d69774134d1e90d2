package io.adaptivelb.proxy;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Faulty backends on loopback: killed, stalled, flaky; ejection, return with slow start, retries. */
@ExtendWith(VertxExtension.class)
class HealthAndRetriesIT {

  /** Long enough that a returned backend is still ramping up when the test ends. */
  private static final int SLOW_START_MS = 60_000;
  private static final int EJECTION_MS = 10_000;

  @Test
  void aKilledBackendIsEjectedAndGetsSeeNoErrorThenItReturnsAndRampsUp(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(1)).backend("b2", constant(1))
      .proxySetting("health.passive", "consecutiveFailures", 1)
      // long enough that the 40 requests below end while b1 is still ejected, even on a crowded machine
      .proxySetting("health.passive", "baseEjectionMs", EJECTION_MS)
      .proxySetting("health.passive", "slowStartMs", SLOW_START_MS)
      .start(vertx)) {
      for (int i = 0; i < 10; i++) {
        assertEquals(200, lab.get("/").statusCode());
      }
      lab.kill(vertx, "b1");
      // The first request to the dead port is a connect failure: retried on b2, ejecting b1.
      for (int i = 0; i < 40; i++) {
        HttpResponse<String> response = lab.get("/");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("b2", response.headers().firstValue("X-Backend").orElseThrow());
      }
      JsonObject b1 = Eventually.await(Duration.ofSeconds(5), () -> lab.proxyView("b1"),
        v -> v != null && "ejected".equals(v.getString("state")));
      assertEquals(1, b1.getJsonObject("health").getInteger("ejections"));

      lab.revive(vertx, "b1");
      // Back after the ejection, b1 ramps up from 10% of its weight over a minute: for the rest of this
      // test it gets a small part of the half round robin would give it.
      JsonObject back = Eventually.await(Duration.ofMillis(EJECTION_MS + 20_000), () -> lab.proxyView("b1"),
        v -> v != null && !"ejected".equals(v.getString("state")));
      assertEquals("slow-start", back.getString("state"), back.encode());
      double weight = back.getJsonObject("health").getDouble("weight");
      assertTrue(weight >= 0.1 && weight < 0.5, back.encode());
      long before = lab.served("b1");
      for (int i = 0; i < 200; i++) {
        assertEquals(200, lab.get("/").statusCode());
      }
      long toB1 = lab.served("b1") - before;
      assertTrue(toB1 > 0 && toB1 < 60, "b1 served " + toB1 + " of 200 requests in slow start; its full share is 100");
    }
  }

  @Test
  void aStalledBackendGives504ThenIsEjected(Vertx vertx) throws Exception {
    NetServer stalled = vertx.createNetServer().connectHandler(socket -> socket.handler(ignored -> { }));
    int port = stalled.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
    try (TestLab lab = new TestLab().upstream("stalled", port).backend("good", constant(0))
      .proxy("upstreamTimeoutMs", 1000)
      .proxySetting("retries", "maxAttempts", 1)
      .proxySetting("health.passive", "consecutiveFailures", 2)
      .start(vertx)) {
      int stalledTimeouts = 0;
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> response = lab.get("/");
        if (response.statusCode() == 504 && response.body().contains("(backend stalled)")) {
          stalledTimeouts++;
        } else {
          assertEquals(200, response.statusCode(), response.body());
        }
      }
      assertEquals(2, stalledTimeouts); // two 504s eject it; round robin then finds only "good"
      assertEquals("ejected", lab.proxyView("stalled") == null ? null
        : Eventually.await(Duration.ofSeconds(5), () -> lab.proxyView("stalled").getString("state"), "ejected"::equals));
    } finally {
      stalled.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStalledTryIsRetriedOnAnotherBackendForAGet(Vertx vertx) throws Exception {
    NetServer stalled = vertx.createNetServer().connectHandler(socket -> socket.handler(ignored -> { }));
    int port = stalled.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
    try (TestLab lab = new TestLab().upstream("stalled", port).backend("good", constant(0))
      .proxySetting("retries", "perTryTimeoutMs", 200)
      .proxySetting("health.passive", "consecutiveFailures", 0)
      .start(vertx)) {
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> response = lab.get("/");
        assertEquals(200, response.statusCode());
      }
      // A POST with a body is not idempotent and its body cannot be replayed: the client sees the 504.
      int posts504 = 0;
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> post = lab.http().send(HttpRequest.newBuilder(lab.proxyUri("/"))
          .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
          HttpResponse.BodyHandlers.ofString());
        posts504 += post.statusCode() == 504 ? 1 : 0;
      }
      assertEquals(1, posts504); // round robin: one of the two POSTs went to the stalled backend
    } finally {
      stalled.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFlakyBackendLosesTrafficAndClientsSeeNoErrors(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backendWith("flaky", new JsonObject().put("errorRate", 0.2)
        .put("latency", constant(2))).backend("steady", constant(2))
      .policy(new JsonObject().put("type", "p2c-peak-ewma"))
      .proxySetting("health.passive", "consecutiveFailures", 0)
      .start(vertx)) {
      int errors = 0;
      for (int i = 0; i < 300; i++) {
        errors += lab.get("/").statusCode() == 200 ? 0 : 1;
      }
      assertEquals(0, errors); // each 500 was retried on the other backend
      assertTrue(lab.served("flaky") < 90, "flaky served " + lab.served("flaky") + " of 300+");
    }
  }

  @Test
  void addingAndRemovingBackendsUnderLoadLosesNoRequest(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(5)).backend("b2", constant(5))
      .backendWith("b3", new JsonObject().put("latency", constant(5))).start(vertx)) {
      assertEquals(202, lab.admin("DELETE", "/admin/backends/b3", null).statusCode());
      var load = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return lab.concurrently(400, "/");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals(200, lab.admin("POST", "/admin/backends",
        new JsonObject().put("name", "b3").put("url", "http://127.0.0.1:" + lab.simulated("b3").port()).encode())
        .statusCode());
      assertEquals(202, lab.admin("DELETE", "/admin/backends/b1", null).statusCode());
      assertTrue(load.get(60, TimeUnit.SECONDS).stream().allMatch(s -> s == 200));
      long b1Before = lab.served("b1");
      for (int i = 0; i < 30; i++) {
        assertEquals(200, lab.get("/").statusCode());
      }
      assertEquals(b1Before, lab.served("b1")); // drained and gone
      assertTrue(lab.served("b3") > 0);
      assertNotNull(lab.proxyView("b3"));
    }
  }
}
