package io.adaptivelb.admin;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
import java.util.List;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reload that adds, changes and removes upstream groups and routes applies them live, as nginx's does. */
@ExtendWith(VertxExtension.class)
class ReloadGroupsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterEach
  void forgetConfPath() {
    System.clearProperty(AdminApi.CONF_PATH_PROPERTY);
  }

  private static String servedBy(TestLab lab, String path) throws Exception {
    HttpResponse<String> response = lab.get(path);
    assertEquals(200, response.statusCode(), path);
    return response.headers().firstValue("X-Backend").orElseThrow();
  }

  private static JsonObject reload(TestLab lab, Path conf, JsonObject json) throws Exception {
    Files.writeString(conf, json.encode());
    HttpResponse<String> ok = lab.admin("POST", "/admin/reload", null);
    assertEquals(200, ok.statusCode(), ok.body());
    return new JsonObject(ok.body());
  }

  private static JsonObject upstream(JsonObject labJson, String name) {
    return labJson.getJsonObject("proxy").getJsonArray("backends").stream().map(JsonObject.class::cast)
      .filter(b -> b.getString("name").equals(name)).findFirst().orElseThrow().copy();
  }

  @Test
  void aReloadAddsRebuildsAndRemovesAGroupAndItsRoutesLive(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestLab lab = new TestLab().backend("w1", constant(0)).backend("a1", constant(0)).backend("a2", constant(0))
      .policy(new JsonObject().put("type", "round-robin")).start(vertx)) {
      Path conf = dir.resolve("lab.json");
      System.setProperty(AdminApi.CONF_PATH_PROPERTY, conf.toString());
      JsonObject start = lab.json().copy();

      // a1 and a2 move to a new group api, which /api/ leads to
      JsonObject withApi = start.copy();
      JsonObject proxy = withApi.getJsonObject("proxy");
      proxy.put("backends", new JsonArray().add(upstream(start, "w1")));
      proxy.put("groups", new JsonObject().put("api", new JsonObject().put("policy", new JsonObject().put("type", "round-robin"))
        .put("backends", new JsonArray().add(upstream(start, "a1")).add(upstream(start, "a2")))));
      proxy.put("routes", new JsonArray().add(new JsonObject().put("pathPrefix", "/api/").put("group", "api")));
      JsonObject added = reload(lab, conf, withApi);
      assertEquals(new JsonArray(), added.getJsonArray("restartRequired"), added.encode());
      List<Object> changed = added.getJsonArray("changed").getList();
      assertTrue(changed.containsAll(List.of("proxy.backends (removed: a1)", "proxy.groups.api (added)", "proxy.routes")), added.encode());
      // Commands apply in order, and the default group's removals come first: once /api/ reaches the new
      // group, the default group no longer sends anything to a1 or a2.
      Eventually.await(WAIT, () -> servedBy(lab, "/api/x"), backend -> backend.startsWith("a"));
      for (int i = 0; i < 6; i++) {
        assertTrue(servedBy(lab, "/api/" + i).startsWith("a"), "the api group serves /api/");
        assertEquals("w1", servedBy(lab, "/page" + i), "the default group has w1 alone now");
      }

      // a key only a rebuild applies (its timeout), and its policy: the group is rebuilt with both
      JsonObject rebuilt = withApi.copy();
      rebuilt.getJsonObject("proxy").getJsonObject("groups").getJsonObject("api").put("upstreamTimeoutMs", 5_000)
        .put("policy", new JsonObject().put("type", "least-request"));
      JsonObject result = reload(lab, conf, rebuilt);
      assertEquals(new JsonArray(), result.getJsonArray("restartRequired"), result.encode());
      assertTrue(result.getJsonArray("changed").contains("proxy.groups.api.upstreamTimeoutMs"), result.encode());
      assertTrue(result.getJsonArray("applied").stream().map(JsonObject.class::cast)
        .anyMatch(c -> "group".equals(c.getString("op")) && "api".equals(c.getString("group"))
          && c.getJsonObject("config").getInteger("upstreamTimeoutMs") == 5_000), result.encode());
      Eventually.await(WAIT, () -> new JsonObject(lab.getDashboard("/stats").body()).getJsonObject("groups").getJsonObject("api"),
        api -> api != null && "least-request".equals(api.getString("policy")));
      assertTrue(servedBy(lab, "/api/y").startsWith("a"));

      // back to the start: no group, no route, every backend in the default group again
      JsonObject removed = reload(lab, conf, start);
      assertEquals(new JsonArray(), removed.getJsonArray("restartRequired"), removed.encode());
      assertTrue(removed.getJsonArray("changed").getList().containsAll(List.of("proxy.groups (removed: api)", "proxy.routes")),
        removed.encode());
      Eventually.await(WAIT, () -> servedBy(lab, "/api/z"), "w1"::equals);
      Eventually.await(WAIT, () -> new JsonObject(lab.getDashboard("/stats").body()).getJsonArray("proxies"),
        proxies -> proxies.stream().noneMatch(p -> "api".equals(((JsonObject) p).getString("group"))));
    }
  }

  @Test
  void aRouteToAGroupTheProxyDoesNotHaveIsNotApplied(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("w1", constant(0)).start(vertx)) {
      // What a proxy whose own config lacks the group does with a routes command from another process's reload.
      vertx.eventBus().publish(io.adaptivelb.control.ControlAddresses.PROXY, new JsonObject().put("op", "routes")
        .put("routes", new JsonArray().add(new JsonObject().put("pathPrefix", "/").put("group", "nope"))));
      // Commands apply in order: once this later one shows, the routes command has been handled.
      assertEquals(200, lab.admin("POST", "/admin/connection", "{\"connection\":\"non-persistent\"}").statusCode());
      Eventually.await(WAIT, () -> new JsonObject(lab.getDashboard("/stats").body()).getString("connection"), "non-persistent"::equals);
      assertEquals("w1", servedBy(lab, "/x"), "the running routes stay");
    }
  }
}
