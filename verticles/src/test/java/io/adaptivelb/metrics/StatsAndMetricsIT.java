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

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class StatsAndMetricsIT {

  @Test
  void statsShowEveryBackendWithItsShareLatencyAndSmaScore(Vertx vertx) throws Exception {
    // With window 1 the first sample is the whole score: keep the backends far apart so a first request
    // slowed by connection setup on a loaded machine cannot reorder them.
    try (TestLab lab = new TestLab().backend("b1", constant(10)).backend("b2", constant(150)).backend("b3", constant(300))
      .policy(new JsonObject().put("type", "sma").put("window", 1)).start(vertx)) {
      lab.concurrently(3, "/"); // one each while all scores are infinite
      for (int i = 0; i < 27; i++) {
        assertEquals(200, lab.get("/").statusCode());
      }
      JsonObject stats = Eventually.await(Duration.ofSeconds(10),
        () -> new JsonObject(lab.getDashboard("/stats").body()),
        s -> s.getJsonObject("totals").getLong("requestsTotal") == 30 && !s.getJsonArray("proxies").isEmpty()
          && s.getJsonArray("backends").stream().map(JsonObject.class::cast)
            .allMatch(b -> b.containsKey("policy") && b.containsKey("server")));
      assertEquals("sma", stats.getString("policy"));
      assertEquals("persistent", stats.getString("connection"));
      JsonArray backends = stats.getJsonArray("backends");
      assertEquals(3, backends.size());
      JsonObject b1 = backends.getJsonObject(0);
      assertEquals("b1", b1.getString("name"));
      assertEquals(28, b1.getLong("count"));
      assertEquals(28, b1.getJsonObject("server").getLong("requests"));
      assertEquals(28.0 / 30, b1.getDouble("share"), 1e-3);
      assertTrue(b1.getDouble("p95") >= 10.0, b1.encode());
      assertTrue(b1.getJsonObject("policy").getValue("score") instanceof Number, b1.encode());
      JsonObject b3 = backends.getJsonObject(2);
      assertTrue(b3.getJsonObject("policy").getDouble("score") >= 300.0, b3.encode());
      assertEquals(1, b3.getLong("count"));
    }
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
