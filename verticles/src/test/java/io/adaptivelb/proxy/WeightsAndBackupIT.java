package io.adaptivelb.proxy;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Static weights and backup backends through real sockets. */
@ExtendWith(VertxExtension.class)
class WeightsAndBackupIT {

  /** Sets keys of the proxy's entry for {@code backend} (weight, backup). */
  private static TestLab with(TestLab lab, String backend, String key, Object value) {
    lab.json().getJsonObject("proxy").getJsonArray("backends").stream().map(JsonObject.class::cast)
      .filter(b -> b.getString("name").equals(backend)).findFirst().orElseThrow().put(key, value);
    return lab;
  }

  private static void send(TestLab lab, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      assertEquals(200, lab.get("/" + i).statusCode());
    }
  }

  /** Sends requests (whatever their answers) until the proxy has ejected {@code backend} at least once. */
  private static void awaitEjected(TestLab lab, String backend) throws Exception {
    Eventually.await(Duration.ofSeconds(30), () -> {
      lab.get("/");
      return lab.proxyView(backend).getJsonObject("health").getInteger("ejections");
    }, ejections -> ejections > 0);
  }

  @Test
  void weightsThreeToOneGiveThreeQuartersWithRoundRobin(Vertx vertx) throws Exception {
    TestLab lab = new TestLab().backend("heavy", constant(0)).backend("light", constant(0))
      .policy(new JsonObject().put("type", "round-robin"));
    with(lab, "heavy", "weight", 3);
    try (TestLab running = lab.start(vertx)) {
      send(running, 2000);
      double share = running.served("heavy") / 2000.0;
      assertTrue(share >= 0.70 && share <= 0.80, "heavy took " + share);
      assertEquals(2000, running.served("heavy") + running.served("light"));
    }
  }

  @Test
  void weightsShiftAnAdaptivePolicyToo(Vertx vertx) throws Exception {
    // least-request with one request at a time sees every backend idle: without weights it cycles evenly
    TestLab lab = new TestLab().backend("heavy", constant(0)).backend("light", constant(0))
      .policy(new JsonObject().put("type", "least-request"));
    with(lab, "light", "weight", 1);
    with(lab, "heavy", "weight", 4);
    try (TestLab running = lab.start(vertx)) {
      send(running, 1000);
      assertTrue(running.served("heavy") > 700, "heavy took " + running.served("heavy"));
    }
  }

  @Test
  void aBackupTakesTrafficOnlyWhenEveryPrimaryIsDown(Vertx vertx) throws Exception {
    TestLab lab = new TestLab().backend("p1", constant(0)).backend("p2", constant(0)).backend("spare", constant(0))
      .policy(new JsonObject().put("type", "round-robin"))
      .proxySetting("health.passive", "baseEjectionMs", 200)
      .proxySetting("health.passive", "maxEjectedPercent", 100);
    with(lab, "spare", "backup", true);
    try (TestLab running = lab.start(vertx)) {
      send(running, 100);
      assertEquals(0, running.served("spare"));
      assertEquals(100, running.served("p1") + running.served("p2"));

      running.kill(vertx, "p1");
      send(running, 100); // p1's connect failures are retried on p2, the other primary
      assertEquals(0, running.served("spare"), "a primary is still up");

      running.kill(vertx, "p2");
      // Until the proxy has seen p2 fail, a request may spend both its tries on the two dead primaries.
      awaitEjected(running, "p1");
      awaitEjected(running, "p2");
      long spareBefore = running.served("spare");
      // Both primaries are known dead now. Each comes back when its ejection ends and fails its first
      // request again; that request's retry must go to the backup, not to the other dead primary.
      send(running, 100);
      assertTrue(running.served("spare") - spareBefore >= 100, "spare served " + (running.served("spare") - spareBefore));

      running.revive(vertx, "p1");
      // once p1's ejection ends, the primaries take the traffic back
      Eventually.await(Duration.ofSeconds(30), () -> {
        send(running, 1);
        return running.served("p1");
      }, served -> served > 0);
      long spareNow = running.served("spare");
      send(running, 100);
      assertEquals(spareNow, running.served("spare"), "the backup took requests while a primary was up");
    }
  }
}
