package io.adaptivelb.proxy;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each policy, end to end through real backends on loopback, one request at a time. */
@ExtendWith(VertxExtension.class)
class RoutingPoliciesIT {

  @Test
  void roundRobinSpreadsExactlyEvenly(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).backend("b2", constant(5)).backend("b3", constant(0))
      .policy(new JsonObject().put("type", "round-robin")).start(vertx)) {
      for (int i = 0; i < 300; i++) {
        HttpResponse<String> response = lab.get("/item/" + i);
        assertEquals(200, response.statusCode());
        assertEquals("b" + (i % 3 + 1), response.headers().firstValue("X-Backend").orElseThrow());
      }
      assertEquals(100, lab.served("b1"));
      assertEquals(100, lab.served("b2"));
      assertEquals(100, lab.served("b3"));
    }
  }

  @Test
  void smaLocksOntoTheFirstBackendToFillItsWindowColdStart(Vertx vertx) throws Exception {
    // The proposal's SMA with sequential traffic: all scores are infinite, so the cycle goes
    // b1 b2 b3 b1 b2 b3 b1; b1 fills its window of 3 first and takes everything after, although
    // it is the slowest. b2 and b3 stay at 2 samples (infinity) and are never tried again.
    try (TestLab lab = new TestLab().backend("b1", constant(40)).backend("b2", constant(2)).backend("b3", constant(5))
      .policy(new JsonObject().put("type", "sma").put("window", 3)).start(vertx)) {
      for (int i = 0; i < 40; i++) {
        assertEquals(200, lab.get("/").statusCode());
      }
      assertEquals(36, lab.served("b1"));
      assertEquals(2, lab.served("b2"));
      assertEquals(2, lab.served("b3"));
    }
  }

  @Test
  void smaSteersToTheFastestOnceAConcurrentFirstWaveFilledEveryWindow(Vertx vertx) throws Exception {
    // 9 concurrent requests: while all scores are infinite the cycle gives every backend its 3
    // samples, so every window fills and from then on the fastest backend (b2) takes the traffic.
    // Latencies far apart so a loaded CI machine's hiccups cannot reorder them.
    try (TestLab lab = new TestLab().backend("b1", constant(200)).backend("b2", constant(10)).backend("b3", constant(100))
      .policy(new JsonObject().put("type", "sma").put("window", 3)).start(vertx)) {
      lab.concurrently(9, "/");
      for (int i = 0; i < 30; i++) {
        assertEquals("b2", lab.get("/").headers().firstValue("X-Backend").orElseThrow());
      }
      assertEquals(39, lab.served("b1") + lab.served("b2") + lab.served("b3"));
    }
  }

  @Test
  void ewmaWarmsUpEveryBackendThenSteersToTheFastest(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(150)).backend("b2", constant(2)).backend("b3", constant(80))
      .policy(new JsonObject().put("type", "ewma").put("alpha", 0.3).put("warmupProbes", 2)).start(vertx)) {
      // Warm-up happened before the proxy took its first request: 2 probes each.
      assertEquals(2, lab.served("b1"));
      assertEquals(2, lab.served("b2"));
      assertEquals(2, lab.served("b3"));
      for (int i = 0; i < 40; i++) {
        assertEquals("b2", lab.get("/").headers().firstValue("X-Backend").orElseThrow());
      }
      assertEquals(42, lab.served("b2"));
      assertTrue(lab.served("b1") == 2 && lab.served("b3") == 2);
    }
  }
}
