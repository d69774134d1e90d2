package io.adaptivelb.metrics;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class StatsAndMetricsIT {

  /**
   * Which backend sma settles on depends on the first sample of each (a cold JVM or a loaded machine can
   * slow any of them), so the test asserts what /stats must say whatever it settled on: every backend with
   * its count, share, latency and score, and sma's rule applied to the scores it shows.
   */
  @Test
  void statsShowEveryBackendWithItsShareLatencyAndSmaScore(Vertx vertx) throws Exception {
    Map<String, Double> latencyMs = Map.of("b1", 10.0, "b2", 150.0, "b3", 300.0);
    try (TestLab lab = new TestLab().backend("b1", constant(10)).backend("b2", constant(150)).backend("b3", constant(300))
      .policy(new JsonObject().put("type", "sma").put("window", 1)).start(vertx)) {
      lab.concurrently(3, "/"); // while all scores are infinite, so normally one each
      for (int i = 0; i < 27; i++) {
        assertEquals(200, lab.get("/").statusCode());
      }
      JsonObject stats = Eventually.await(Duration.ofSeconds(10),
        () -> new JsonObject(lab.getDashboard("/stats").body()),
        s -> s.getJsonObject("totals").getLong("requestsTotal") == 30 && !s.getJsonArray("proxies").isEmpty()
          && rows(s.getJsonArray("backends")).allMatch(b -> b.containsKey("policy") && b.containsKey("server"))
          && rows(s.getJsonArray("backends")).mapToLong(b -> b.getJsonObject("server").getLong("requests")).sum() == 30);
      assertEquals("sma", stats.getString("policy"));
      assertEquals("persistent", stats.getString("connection"));
      List<JsonObject> backends = rows(stats.getJsonArray("backends")).toList();
      assertEquals(List.of("b1", "b2", "b3"), backends.stream().map(b -> b.getString("name")).toList());
      // count and share cover the rolling window, which a slow run outlasts; requestsTotal is every request.
      assertEquals(30, backends.stream().mapToLong(b -> b.getLong("requestsTotal")).sum());
      long inWindow = backends.stream().mapToLong(b -> b.getLong("count")).sum();
      assertTrue(inWindow > 0, stats.encode());
      for (JsonObject b : backends) {
        long total = b.getLong("requestsTotal");
        assertEquals(total, b.getJsonObject("server").getLong("requests"), b.encode());
        assertEquals((double) b.getLong("count") / inWindow, b.getDouble("share"), 1e-3, b.encode());
        Object score = b.getJsonObject("policy").getValue("score");
        if (total == 0) {
          assertEquals("Infinity", score, "sma scores a backend short of samples infinite: " + b.encode());
          continue;
        }
        double configured = latencyMs.get(b.getString("name"));
        assertTrue(b.getLong("count") == 0 || b.getDouble("p95") >= configured, b.encode());
        assertTrue(score instanceof Number n && n.doubleValue() >= configured, b.encode());
        assertEquals(List.of(((Number) score).doubleValue()), b.getJsonObject("policy").getJsonArray("window").getList(),
          "with window 1 the score is the last latency: " + b.encode());
      }
      // sma's next pick is the backend with the lowest score it shows.
      JsonObject proxy = stats.getJsonArray("proxies").getJsonObject(0);
      List<JsonObject> scored = rows(proxy.getJsonArray("backends")).filter(b -> b.getValue("score") instanceof Number).toList();
      double lowest = scored.stream().mapToDouble(b -> b.getDouble("score")).min().orElseThrow();
      assertEquals(lowest, scored.stream().filter(b -> b.getString("name").equals(proxy.getString("nextPick")))
        .findFirst().orElseThrow(() -> new AssertionError("no scored next pick: " + proxy.encode())).getDouble("score"));
    }
  }

  private static Stream<JsonObject> rows(JsonArray array) {
    return array.stream().map(JsonObject.class::cast);
  }

  @Test
  void prometheusEndpointCountsRequestsPerBackend(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("m1", constant(0)).backend("m2", constant(0)).start(vertx)) {
      for (int i = 0; i < 10; i++) {
        assertEquals(200, lab.get("/").statusCode());
      }
      String metrics = Eventually.await(Duration.ofSeconds(10), () -> lab.getDashboard("/metrics").body(),
        body -> body.contains("lb_requests_total{backend=\"m2\",group=\"default\",status=\"2xx\"} 5.0"));
      assertTrue(metrics.contains("lb_requests_total{backend=\"m1\",group=\"default\",status=\"2xx\"} 5.0"), metrics);
      assertTrue(metrics.contains("lb_upstream_latency_seconds_bucket{backend=\"m1\",group=\"default\""), metrics);
    }
  }

  @Test
  void eachUpstreamGroupHasItsFiguresInStatsAndItsLabelInMetrics(Vertx vertx) throws Exception {
    // Backend names of this test alone: the Prometheus registry is the process's, shared by every test in this JVM.
    try (TestLab lab = new TestLab().backend("sm-w1", constant(0)).backend("sm-a1", constant(0)).backend("sm-a2", constant(0))
      .policy(new JsonObject().put("type", "least-request"))
      .group("api", new JsonObject().put("type", "round-robin"), "sm-a1", "sm-a2").route("/api/", "api").start(vertx)) {
      for (int i = 0; i < 4; i++) {
        assertEquals(200, lab.get("/page").statusCode());
      }
      for (int i = 0; i < 6; i++) {
        assertEquals(200, lab.get("/api/x").statusCode());
      }
      JsonObject stats = Eventually.await(Duration.ofSeconds(10), () -> new JsonObject(lab.getDashboard("/stats").body()),
        s -> s.getJsonObject("groups").containsKey("api")
          && s.getJsonObject("groups").getJsonObject("api").getJsonObject("totals").getLong("requestsTotal") == 6
          && s.getJsonObject("groups").getJsonObject("api").containsKey("policy"));
      assertEquals("least-request", stats.getString("policy"), "the top-level policy is the default group's");
      assertEquals(10, stats.getJsonObject("totals").getLong("requestsTotal"), "the totals hold every group");
      JsonObject groups = stats.getJsonObject("groups");
      assertEquals(java.util.List.of("default", "api"), java.util.List.copyOf(groups.fieldNames()));
      assertEquals(4, groups.getJsonObject("default").getJsonObject("totals").getLong("requestsTotal"));
      assertEquals("least-request", groups.getJsonObject("default").getString("policy"));
      assertEquals(new JsonArray().add("sm-w1"), groups.getJsonObject("default").getJsonArray("backends"));
      JsonObject api = groups.getJsonObject("api");
      assertEquals("round-robin", api.getString("policy"));
      assertEquals("persistent", api.getString("connection"));
      assertEquals(new JsonArray().add("sm-a1").add("sm-a2"), api.getJsonArray("backends"));
      JsonObject a1 = stats.getJsonArray("backends").stream().map(JsonObject.class::cast)
        .filter(b -> b.getString("name").equals("sm-a1")).findFirst().orElseThrow();
      assertEquals("api", a1.getString("group"));
      assertEquals(3, a1.getLong("count"));
      assertEquals(0.3, a1.getDouble("share"), 1e-9, "of every request");
      assertEquals(0.5, a1.getDouble("groupShare"), 1e-9, "of its group's requests");
      assertEquals("healthy", a1.getJsonObject("policy").getString("state"), "the api group's proxy state of sm-a1");

      String metrics = Eventually.await(Duration.ofSeconds(10), () -> lab.getDashboard("/metrics").body(),
        body -> body.contains("lb_requests_total{backend=\"sm-a2\",group=\"api\",status=\"2xx\"} 3.0"));
      assertTrue(metrics.contains("lb_requests_total{backend=\"sm-w1\",group=\"default\",status=\"2xx\"} 4.0"), metrics);
      assertTrue(metrics.contains("lb_upstream_latency_seconds_count{backend=\"sm-a1\",group=\"api\"} 3"), metrics);
    }
  }
}
