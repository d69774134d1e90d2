package io.adaptivelb.admin;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class AdminApiIT {

  @AfterEach
  void forgetConfPath() {
    System.clearProperty(AdminApi.CONF_PATH_PROPERTY);
  }

  private static String policyOf(TestLab lab) throws Exception {
    return new JsonObject(lab.getDashboard("/stats").body()).getString("policy");
  }

  @Test
  void switchingThePolicyChangesWhatStatsReportsAndWhereTrafficGoes(Vertx vertx) throws Exception {
    // Far apart, so a hiccup on a loaded machine cannot make "fast" look slower than "slow".
    try (TestLab lab = new TestLab().backend("fast", constant(1)).backend("slow", constant(400))
      .policy(new JsonObject().put("type", "round-robin")).start(vertx)) {
      Eventually.await(Duration.ofSeconds(5), () -> policyOf(lab), "round-robin"::equals);
      HttpResponse<String> ok = lab.admin("POST", "/admin/policy", "{\"type\":\"ewma\",\"alpha\":0.5}");
      assertEquals(200, ok.statusCode(), ok.body());
      Eventually.await(Duration.ofSeconds(5), () -> policyOf(lab), "ewma"::equals);
      for (int i = 0; i < 10; i++) {
        lab.get("/");
      }
      long slowBefore = lab.served("slow");
      for (int i = 0; i < 20; i++) {
        assertEquals("fast", lab.get("/").headers().firstValue("X-Backend").orElseThrow());
      }
      assertEquals(slowBefore, lab.served("slow"));
    }
  }

  @Test
  void aBadPolicyIsRefusedNamingTheKeyAndChangesNothing(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).policy(new JsonObject().put("type", "sma")).start(vertx)) {
      HttpResponse<String> bad = lab.admin("POST", "/admin/policy", "{\"type\":\"sma\",\"alpha\":2}");
      assertEquals(400, bad.statusCode());
      assertTrue(bad.body().contains("policy.alpha: unknown key"), bad.body());
      assertEquals(400, lab.admin("POST", "/admin/policy", "not json").statusCode());
      assertEquals(404, lab.admin("DELETE", "/admin/backends/nope", null).statusCode());
      Eventually.await(Duration.ofSeconds(5), () -> policyOf(lab), "sma"::equals);
    }
  }

  @Test
  void switchingConnectionModeDropsNoRequest(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(2)).start(vertx)) {
      for (int i = 0; i < 10; i++) {
        lab.get("/");
      }
      long connectionsBefore = lab.connections("b1");
      assertEquals(200, lab.admin("POST", "/admin/connection", "{\"connection\":\"non-persistent\"}").statusCode());
      Eventually.await(Duration.ofSeconds(5), () -> new JsonObject(lab.getDashboard("/stats").body()).getString("connection"),
        "non-persistent"::equals);
      for (int i = 0; i < 10; i++) {
        assertEquals(200, lab.get("/").statusCode());
      }
      assertEquals(connectionsBefore + 10, lab.connections("b1"));
    }
  }

  @Test
  void aSimulatedBackendsProfileChangesLive(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).start(vertx)) {
      HttpResponse<String> ok = lab.admin("PUT", "/admin/backends/b1/profile", "{\"errorRate\":1.0}");
      assertEquals(200, ok.statusCode(), ok.body());
      Eventually.await(Duration.ofSeconds(5), () -> lab.get("/").statusCode(), s -> s == 500);
      assertEquals(400, lab.admin("PUT", "/admin/backends/b1/profile", "{\"errorRate\":3}").statusCode());
    }
  }

  @Test
  void reloadAppliesWhatItCanAndRefusesABrokenFile(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).policy(new JsonObject().put("type", "sma")).start(vertx)) {
      Path conf = dir.resolve("lab.json");
      JsonObject next = lab.json().copy();
      next.getJsonObject("proxy").put("policy", new JsonObject().put("type", "least-request")).put("instances", 3);
      Files.writeString(conf, next.encode());
      System.setProperty(AdminApi.CONF_PATH_PROPERTY, conf.toString());
      HttpResponse<String> ok = lab.admin("POST", "/admin/reload", null);
      assertEquals(200, ok.statusCode(), ok.body());
      JsonObject result = new JsonObject(ok.body());
      assertEquals("proxy.instances", result.getJsonArray("restartRequired").getString(0));
      Eventually.await(Duration.ofSeconds(5), () -> policyOf(lab), "least-request"::equals);

      Files.writeString(conf, "{\"proxy\": {\"policy\": {\"type\": \"fastest\"}}}");
      HttpResponse<String> refused = lab.admin("POST", "/admin/reload", null);
      assertEquals(400, refused.statusCode());
      assertTrue(refused.body().contains("proxy.policy.type"), refused.body());
      assertEquals("least-request", policyOf(lab));
    }
  }

  @Test
  void anAddWithANameTheProxiesAlreadyRouteToIsRefusedAndChangesNothing(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).start(vertx)) {
      HttpResponse<String> taken = lab.admin("POST", "/admin/backends", "{\"name\":\"b1\",\"url\":\"http://127.0.0.1:1\"}");
      assertEquals(409, taken.statusCode(), taken.body());
      assertTrue(taken.body().contains("already exists"), taken.body());
      JsonObject configured = new JsonObject(lab.admin("GET", "/admin/backends", null).body()).getJsonArray("configured").getJsonObject(0);
      assertEquals(lab.lab().backends().get(0).port(), Integer.parseInt(configured.getString("url").replaceAll(".*:", "")),
        "the admin view still shows the old URL");
      for (int i = 0; i < 5; i++) {
        assertEquals(200, lab.get("/").statusCode(), "the proxies still route to the old URL");
      }
    }
  }

  @Test
  void anEmptyOrTypelessPolicyBodyIsRefusedAndSwitchesNothing(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).policy(new JsonObject().put("type", "round-robin")).start(vertx)) {
      for (String body : new String[]{null, "", "{}", "{\"policy\":{}}", "{\"window\":5}"}) {
        HttpResponse<String> refused = lab.admin("POST", "/admin/policy", body);
        assertEquals(400, refused.statusCode(), body + " -> " + refused.body());
        assertTrue(refused.body().contains("policy"), refused.body());
      }
      // Commands apply in order: once this later one shows, a switch that slipped through would show too.
      assertEquals(200, lab.admin("POST", "/admin/connection", "{\"connection\":\"non-persistent\"}").statusCode());
      JsonObject stats = Eventually.await(Duration.ofSeconds(5), () -> new JsonObject(lab.getDashboard("/stats").body()),
        s -> "non-persistent".equals(s.getString("connection")));
      assertEquals("round-robin", stats.getString("policy"));
    }
  }

  @Test
  void disablingTakesABackendOutOfRotationAndEnablingBringsItBack(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).backend("b2", constant(0))
      .policy(new JsonObject().put("type", "round-robin")).start(vertx)) {
      HttpResponse<String> disabled = lab.admin("POST", "/admin/backends/b2/disable", null);
      assertEquals(200, disabled.statusCode(), disabled.body());
      Eventually.await(Duration.ofSeconds(5), () -> lab.proxyView("b2").getString("state"), "disabled"::equals);
      long b2Before = lab.served("b2");
      for (int i = 0; i < 10; i++) {
        assertEquals("b1", lab.get("/").headers().firstValue("X-Backend").orElseThrow());
      }
      assertEquals(b2Before, lab.served("b2"));

      HttpResponse<String> enabled = lab.admin("POST", "/admin/backends/b2/enable", null);
      assertEquals(200, enabled.statusCode(), enabled.body());
      Eventually.await(Duration.ofSeconds(5), () -> lab.proxyView("b2").getString("state"), s -> !"disabled".equals(s));
      Eventually.await(Duration.ofSeconds(5), () -> lab.get("/").headers().firstValue("X-Backend").orElseThrow(), "b2"::equals);

      assertEquals(404, lab.admin("POST", "/admin/backends/nope/disable", null).statusCode());
      assertEquals(404, lab.admin("POST", "/admin/backends/nope/enable", null).statusCode());
      assertEquals(404, lab.admin("PUT", "/admin/backends/nope/profile", "{\"errorRate\":1.0}").statusCode());
    }
  }

  @Test
  void reloadReportsEveryChangedKeyAndWhichOnesNeedARestart(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).start(vertx)) {
      Path conf = dir.resolve("lab.json");
      JsonObject next = lab.json().copy();
      next.getJsonObject("proxy").put("limits", new JsonObject().put("maxHeaderBytes", 4096))
        .put("policy", new JsonObject().put("type", "least-request"));
      next.put("cluster", new JsonObject().put("heartbeatMs", 250));
      next.getJsonArray("backends").getJsonObject(0).put("errorRate", 0.5).put("bodyBytes", 10);
      Files.writeString(conf, next.encode());
      System.setProperty(AdminApi.CONF_PATH_PROPERTY, conf.toString());
      HttpResponse<String> ok = lab.admin("POST", "/admin/reload", null);
      assertEquals(200, ok.statusCode(), ok.body());
      JsonObject result = new JsonObject(ok.body());
      java.util.List<Object> changed = result.getJsonArray("changed").getList();
      assertTrue(changed.get(0).toString().startsWith("proxy.policy"), ok.body()); // its type, or the policy as a whole
      assertEquals(java.util.List.of("proxy.limits.maxHeaderBytes", "backends[0].errorRate", "backends[0].bodyBytes",
        "cluster.heartbeatMs"), changed.subList(1, changed.size()), ok.body());
      assertEquals(java.util.List.of("proxy.limits.maxHeaderBytes", "backends[0].bodyBytes", "cluster.heartbeatMs"),
        result.getJsonArray("restartRequired").getList(), ok.body());
      Eventually.await(Duration.ofSeconds(5), () -> policyOf(lab), "least-request"::equals);
      Eventually.await(Duration.ofSeconds(5), () -> lab.get("/").statusCode(), s -> s == 500);
    }
  }
}
