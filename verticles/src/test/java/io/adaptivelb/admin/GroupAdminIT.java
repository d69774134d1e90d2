package io.adaptivelb.admin;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API addressing an upstream group: {@code /admin/groups/{group}/...}, against a two-group lab. */
@ExtendWith(VertxExtension.class)
class GroupAdminIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** w1 in the default group (round robin); a1 and a2 in group api (round robin), reached under /api/. */
  private static TestLab twoGroups() {
    return new TestLab().backend("w1", constant(0)).backend("a1", constant(0)).backend("a2", constant(0))
      .policy(new JsonObject().put("type", "round-robin"))
      .group("api", new JsonObject().put("type", "round-robin"), "a1", "a2").route("/api/", "api");
  }

  private static JsonObject groups(TestLab lab) throws Exception {
    return new JsonObject(lab.getDashboard("/stats").body()).getJsonObject("groups");
  }

  private static String policyOf(TestLab lab, String group) throws Exception {
    JsonObject g = groups(lab).getJsonObject(group);
    return g == null ? null : g.getString("policy");
  }

  @Test
  void changingThePolicyOfOneGroupLeavesTheDefaultGroupsAlone(Vertx vertx) throws Exception {
    try (TestLab lab = twoGroups().start(vertx)) {
      Eventually.await(WAIT, () -> policyOf(lab, "api"), "round-robin"::equals);
      HttpResponse<String> ok = lab.admin("POST", "/admin/groups/api/policy", "{\"type\":\"least-request\"}");
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals("api", new JsonObject(ok.body()).getString("group"));
      JsonObject groups = Eventually.await(WAIT, () -> groups(lab),
        g -> "least-request".equals(g.getJsonObject("api").getString("policy")));
      assertEquals("round-robin", groups.getJsonObject("default").getString("policy"), groups.encode());
      assertEquals("round-robin", new JsonObject(lab.getDashboard("/stats").body()).getString("policy"));

      // The un-prefixed call still acts on the default group alone.
      assertEquals(200, lab.admin("POST", "/admin/policy", "{\"type\":\"ewma\"}").statusCode());
      groups = Eventually.await(WAIT, () -> groups(lab), g -> "ewma".equals(g.getJsonObject("default").getString("policy")));
      assertEquals("least-request", groups.getJsonObject("api").getString("policy"));

      // The group's connection mode too.
      assertEquals(200, lab.admin("POST", "/admin/groups/api/connection", "{\"connection\":\"non-persistent\"}").statusCode());
      groups = Eventually.await(WAIT, () -> groups(lab), g -> "non-persistent".equals(g.getJsonObject("api").getString("connection")));
      assertEquals("persistent", groups.getJsonObject("default").getString("connection"));
    }
  }

  @Test
  void disablingABackendOfAGroupStopsTrafficToItUntilItIsEnabled(Vertx vertx) throws Exception {
    try (TestLab lab = twoGroups().start(vertx)) {
      HttpResponse<String> disabled = lab.admin("POST", "/admin/groups/api/backends/a2/disable", null);
      assertEquals(200, disabled.statusCode(), disabled.body());
      Eventually.await(WAIT, () -> lab.proxyView("a2").getString("state"), "disabled"::equals);
      long a2Before = lab.served("a2");
      for (int i = 0; i < 10; i++) {
        assertEquals("a1", lab.get("/api/" + i).headers().firstValue("X-Backend").orElseThrow());
      }
      assertEquals(a2Before, lab.served("a2"));

      assertEquals(200, lab.admin("POST", "/admin/groups/api/backends/a2/enable", null).statusCode());
      Eventually.await(WAIT, () -> lab.get("/api/x").headers().firstValue("X-Backend").orElseThrow(), "a2"::equals);
    }
  }

  @Test
  void anUnknownGroupOrABackendOfAnotherGroupIsA404ThatSaysWhere(Vertx vertx) throws Exception {
    try (TestLab lab = twoGroups().start(vertx)) {
      Eventually.await(WAIT, () -> policyOf(lab, "api"), "round-robin"::equals);
      HttpResponse<String> noGroup = lab.admin("POST", "/admin/groups/nope/policy", "{\"type\":\"ewma\"}");
      assertEquals(404, noGroup.statusCode());
      assertEquals("no group \"nope\" in any proxy of the cluster (groups: api, default)",
        new JsonObject(noGroup.body()).getString("error"));
      assertEquals(404, lab.admin("GET", "/admin/groups/nope/backends", null).statusCode());

      HttpResponse<String> elsewhere = lab.admin("POST", "/admin/backends/a1/disable", null);
      assertEquals(404, elsewhere.statusCode());
      assertEquals("backend \"a1\" is in group \"api\", not \"default\": use /admin/groups/api/backends/a1",
        new JsonObject(elsewhere.body()).getString("error"));
      assertEquals(404, lab.admin("DELETE", "/admin/groups/api/backends/w1", null).statusCode());
      assertEquals(404, lab.admin("POST", "/admin/groups/api/backends/nope/enable", null).statusCode());

      HttpResponse<String> taken = lab.admin("POST", "/admin/groups/api/backends", "{\"name\":\"w1\",\"url\":\"http://127.0.0.1:1\"}");
      assertEquals(409, taken.statusCode(), "names are unique across groups: " + taken.body());
      assertEquals(400, lab.admin("POST", "/admin/groups/api/backends/a1/weight", "{\"weight\":0}").statusCode());
      assertEquals("round-robin", policyOf(lab, "api"), "nothing changed");
    }
  }

  @Test
  void groupsAreListedAndABackendOfAGroupCanBeAddedWeighedAndDrained(Vertx vertx) throws Exception {
    try (TestLab lab = twoGroups().start(vertx)) {
      Eventually.await(WAIT, () -> policyOf(lab, "api"), "round-robin"::equals);
      JsonObject list = new JsonObject(lab.admin("GET", "/admin/groups", null).body());
      assertEquals(java.util.List.of("default", "api"), java.util.List.copyOf(list.getJsonObject("groups").fieldNames()));
      assertEquals(new JsonArray().add("a1").add("a2"), list.getJsonObject("groups").getJsonObject("api").getJsonArray("backends"));
      assertEquals("/api/", list.getJsonArray("routes").getJsonObject(0).getString("pathPrefix"));

      HttpResponse<String> weighed = lab.admin("POST", "/admin/groups/api/backends/a1/weight", "{\"weight\":3}");
      assertEquals(200, weighed.statusCode(), weighed.body());
      Eventually.await(WAIT, () -> lab.proxyView("a1").getInteger("weight"), w -> w == 3);
      JsonObject view = new JsonObject(lab.admin("GET", "/admin/groups/api/backends", null).body());
      assertEquals(3, view.getJsonArray("configured").getJsonObject(0).getInteger("weight"), view.encode());
      assertTrue(view.getJsonArray("proxies").stream().allMatch(p -> "api".equals(((JsonObject) p).getString("group"))), view.encode());

      int w1Port = lab.simulated("w1").port();
      HttpResponse<String> added = lab.admin("POST", "/admin/groups/api/backends", "{\"name\":\"w1b\",\"url\":\"http://127.0.0.1:" + w1Port + "\"}");
      assertEquals(200, added.statusCode(), added.body());
      Eventually.await(WAIT, () -> groups(lab).getJsonObject("api").getJsonArray("backends"), b -> b.contains("w1b"));
      assertEquals(202, lab.admin("DELETE", "/admin/groups/api/backends/w1b", null).statusCode());
      Eventually.await(WAIT, () -> groups(lab).getJsonObject("api").getJsonArray("backends"), b -> !b.contains("w1b"));
    }
  }
}
