package io.adaptivelb.admin;

import io.adaptivelb.Eventually;
import io.adaptivelb.RawCall;
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

/**
 * The admin API against what a web page can send: a page of another site (its Origin), a page whose DNS
 * name was rebound to 127.0.0.1 (its Host), a "simple" request that needs no preflight (a non-JSON body).
 * Each is refused and changes nothing; the dashboard's own calls and the token still work.
 */
@ExtendWith(VertxExtension.class)
class AdminGuardIT {

  private static final String SWITCH = "{\"type\":\"least-request\"}";

  private static TestLab lab() {
    return new TestLab().backend("b1", constant(0)).policy(new JsonObject().put("type", "round-robin"));
  }

  private static String policyOf(TestLab lab) throws Exception {
    return new JsonObject(lab.getDashboard("/stats").body()).getString("policy");
  }

  private static RawCall call(TestLab lab, String method, String path) {
    return new RawCall(method, path, lab.lab().dashboardPort());
  }

  /**
   * Commands reach the proxy in the order they were sent: once a later accepted one shows in /stats, a
   * refused one that had slipped through would show too.
   */
  private static void unchangedAfterRefusals(TestLab lab) throws Exception {
    RawCall.Answer marker = call(lab, "POST", "/admin/connection")
      .body("application/json", "{\"connection\":\"non-persistent\"}").send();
    assertEquals(200, marker.status(), marker.body());
    JsonObject stats = Eventually.await(Duration.ofSeconds(5), () -> new JsonObject(lab.getDashboard("/stats").body()),
      s -> "non-persistent".equals(s.getString("connection")));
    assertEquals("round-robin", stats.getString("policy"));
    JsonObject b1 = stats.getJsonArray("proxies").getJsonObject(0).getJsonArray("backends").getJsonObject(0);
    assertEquals("healthy", b1.getString("state"), b1::encode);
  }

  @Test
  void aCallFromAPageOfAnotherSiteIsRefused(Vertx vertx) throws Exception {
    try (TestLab lab = lab().start(vertx)) {
      RawCall.Answer simple = call(lab, "POST", "/admin/policy").header("Origin", "http://evil.example")
        .body("text/plain", SWITCH).send();
      assertEquals(403, simple.status(), simple.body());
      assertTrue(simple.body().contains("other origins"), simple.body());
      RawCall.Answer json = call(lab, "POST", "/admin/policy").header("Origin", "http://evil.example")
        .body("application/json", SWITCH).send();
      assertEquals(403, json.status(), json.body());
      RawCall.Answer reset = call(lab, "POST", "/admin/stats/reset").header("Origin", "http://evil.example").send();
      assertEquals(403, reset.status(), reset.body());
      assertEquals(403, call(lab, "GET", "/admin/backends").header("Origin", "http://evil.example").send().status());
      unchangedAfterRefusals(lab);
    }
  }

  @Test
  void aCallNamingAReboundHostIsRefused(Vertx vertx) throws Exception {
    try (TestLab lab = lab().start(vertx)) {
      int port = lab.lab().dashboardPort();
      // After rebinding, the page's origin and Host are its own site: same-origin to the browser.
      RawCall.Answer rebound = call(lab, "POST", "/admin/policy").header("Host", "evil.example:" + port)
        .header("Origin", "http://evil.example:" + port).body("application/json", SWITCH).send();
      assertEquals(421, rebound.status(), rebound.body());
      assertTrue(rebound.body().contains("dashboard.allowedHosts"), rebound.body());
      assertEquals(421, call(lab, "GET", "/admin/backends").header("Host", "evil.example:" + port).send().status());
      unchangedAfterRefusals(lab);
    }
  }

  @Test
  void aStateChangingCallWithoutAJsonContentTypeIsRefused(Vertx vertx) throws Exception {
    try (TestLab lab = lab().start(vertx)) {
      for (String type : new String[]{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
        RawCall.Answer answer = call(lab, "POST", "/admin/policy").body(type, SWITCH).send();
        assertEquals(415, answer.status(), type + ": " + answer.body());
      }
      assertEquals(415, call(lab, "POST", "/admin/stats/reset").send().status(), "no body, no content type");
      assertEquals(415, call(lab, "POST", "/admin/backends/b1/disable").send().status());
      assertEquals(415, call(lab, "DELETE", "/admin/backends/b1").send().status());
      assertEquals(200, lab.get("/").statusCode(), "b1 was neither disabled nor drained");
      unchangedAfterRefusals(lab);
    }
  }

  @Test
  void theDashboardsOwnCallsAndListedHostsAndTheTokenStillWork(Vertx vertx) throws Exception {
    TestLab configured = lab();
    configured.json().getJsonObject("dashboard").put("allowedHosts", new JsonArray().add("lab.example"))
      .put("adminToken", "a-token-of-sixteen-chars");
    try (TestLab lab = configured.start(vertx)) {
      int port = lab.lab().dashboardPort();
      RawCall.Answer own = call(lab, "POST", "/admin/policy").header("Origin", "http://127.0.0.1:" + port)
        .body("application/json; charset=utf-8", SWITCH).send();
      assertEquals(200, own.status(), own.body());
      Eventually.await(Duration.ofSeconds(5), () -> policyOf(lab), "least-request"::equals);
      RawCall.Answer localhost = call(lab, "POST", "/admin/stats/reset").header("Host", "localhost:" + port)
        .header("Origin", "http://localhost:" + port).body("application/json", "").send();
      assertEquals(200, localhost.status(), localhost.body());
      RawCall.Answer listed = call(lab, "GET", "/admin/backends").header("Host", "lab.example:" + port).send();
      assertEquals(200, listed.status(), listed.body());
      RawCall.Answer token = call(lab, "GET", "/admin/backends").header("Host", "lab.example.org:" + port)
        .header("Authorization", "Bearer a-token-of-sixteen-chars").send();
      assertEquals(200, token.status(), "a token holder may name the server as they reach it: " + token.body());
    }
  }
}
