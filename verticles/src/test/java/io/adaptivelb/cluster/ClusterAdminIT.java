package io.adaptivelb.cluster;

import io.adaptivelb.Eventually;
import io.adaptivelb.Lab;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API of a process that configured none of the backends it acts on: backends, proxy and
 * dashboard are three cluster members, the backends discovered. Every command is checked against the
 * cluster and reaches the proxy (or the simulated backend) in another member. One cluster for the class;
 * each test acts on a backend of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterAdminIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ProxyClient client = new ProxyClient();
  private LoopbackCluster cluster;
  private Lab proxy;
  private Lab dashboard;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = new LoopbackCluster(3);
    cluster.start(ClusterJson.backends(1, "b1", "b2", "b3"));
    proxy = cluster.start(ClusterJson.proxy("metrics"));
    dashboard = cluster.start(ClusterJson.dashboardOnly());
    client.untilServedBy(proxy, Set.of("b1", "b2", "b3"), Duration.ofSeconds(30));
  }

  @AfterAll
  void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  void aDashboardOnlyMemberDisablesAndEnablesADiscoveredBackend() throws Exception {
    HttpResponse<String> disabled = client.admin(dashboard, "POST", "/admin/backends/b1/disable", null);
    assertEquals(200, disabled.statusCode(), disabled.body());
    Eventually.await(WAIT, () -> client.states(dashboard).get("b1"), "disabled"::equals);
    for (int i = 0; i < 9; i++) {
      assertNotEquals("b1", client.get(proxy).backend());
    }
    HttpResponse<String> enabled = client.admin(dashboard, "POST", "/admin/backends/b1/enable", null);
    assertEquals(200, enabled.statusCode(), enabled.body());
    client.untilServedBy(proxy, Set.of("b1"), WAIT);

    HttpResponse<String> unknown = client.admin(dashboard, "POST", "/admin/backends/nope/disable", null);
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertTrue(unknown.body().contains("cluster"), unknown.body());
  }

  @Test
  void aDashboardOnlyMemberChangesTheProfileOfASimulatedBackendInAnotherMember() throws Exception {
    HttpResponse<String> profiled = client.admin(dashboard, "PUT", "/admin/backends/b3/profile", "{\"errorRate\":1.0}");
    assertEquals(200, profiled.statusCode(), profiled.body());
    assertEquals(1.0, new JsonObject(profiled.body()).getJsonObject("profile").getDouble("errorRate"),
      "the backend's own answer: " + profiled.body());
    Eventually.await(WAIT, () -> client.stats(dashboard).getJsonArray("backends").stream().map(JsonObject.class::cast)
      .filter(b -> "b3".equals(b.getString("name"))).findFirst().orElseThrow(), b -> b.containsKey("server")
      && b.getJsonObject("server").getJsonObject("profile").getDouble("errorRate") == 1.0);
    HttpResponse<String> restored = client.admin(dashboard, "PUT", "/admin/backends/b3/profile", "{\"errorRate\":0}");
    assertEquals(200, restored.statusCode(), restored.body());

    assertEquals(404, client.admin(dashboard, "PUT", "/admin/backends/nope/profile", "{\"errorRate\":1.0}").statusCode());
  }

  @Test
  void aDashboardOnlyMemberRemovesADiscoveredBackendAndCannotAddATakenName() throws Exception {
    HttpResponse<String> removed = client.admin(dashboard, "DELETE", "/admin/backends/b2", null);
    assertEquals(202, removed.statusCode(), removed.body());
    Eventually.await(WAIT, () -> client.routedTo(dashboard), names -> !names.contains("b2"));
    for (int i = 0; i < 9; i++) {
      assertNotEquals("b2", client.get(proxy).backend());
    }
    assertEquals(404, client.admin(dashboard, "DELETE", "/admin/backends/nope", null).statusCode());

    HttpResponse<String> taken = client.admin(dashboard, "POST", "/admin/backends", "{\"name\":\"b1\",\"url\":\"http://127.0.0.1:1\"}");
    assertEquals(409, taken.statusCode(), taken.body());
  }
}
