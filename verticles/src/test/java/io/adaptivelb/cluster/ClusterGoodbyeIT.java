package io.adaptivelb.cluster;

import io.adaptivelb.Eventually;
import io.adaptivelb.Lab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backends role stopped cleanly and started again, over and over, while a heartbeat its run sent
 * just before the goodbye arrives after it: a goodbye is final for that run, so the proxy never routes to
 * the closed backend again, and the next run is routed to as soon as it announces itself.
 */
class ClusterGoodbyeIT {

  private static final String ANNOUNCE = "lb.backend.announce";
  private static final String LEAVE = "lb.backend.leave";
  private static final int ROUNDS = 20;
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ProxyClient client = new ProxyClient();

  @Test
  void aHeartbeatArrivingAfterItsRunsGoodbyeNeverBringsTheClosedBackendBack() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(2)) {
      Lab proxy = cluster.start(ClusterJson.proxy("metrics", "dashboard"));
      Vertx backendsNode = cluster.node();
      // b1's latest heartbeat per run of the backends role (each run announces itself as a new instance)
      Map<String, JsonObject> lastHeartbeatByRun = new ConcurrentHashMap<>();
      CountDownLatch listening = new CountDownLatch(1);
      backendsNode.eventBus().<JsonObject>consumer(ANNOUNCE, m -> {
        if ("b1".equals(m.body().getString("name"))) {
          lastHeartbeatByRun.put(m.body().getString("instance"), m.body());
        }
      }).completion().onSuccess(v -> listening.countDown());
      assertTrue(listening.await(30, TimeUnit.SECONDS));

      for (int round = 1; round <= ROUNDS; round++) {
        Set<String> earlierRuns = Set.copyOf(lastHeartbeatByRun.keySet());
        Lab backends = cluster.start(backendsNode, ClusterJson.backends(1, "b1"));
        client.untilServedBy(proxy, Set.of("b1"), WAIT);
        JsonObject heartbeat = Eventually.await(WAIT, () -> lastHeartbeatByRun.entrySet().stream()
          .filter(run -> !earlierRuns.contains(run.getKey())).map(Map.Entry::getValue).findFirst().orElse(null),
          h -> h != null);

        backends.stop().await(30, TimeUnit.SECONDS); // goodbye, then its port closes
        Eventually.await(WAIT, () -> client.routedTo(proxy), names -> !names.contains("b1"));

        // The late heartbeat: the run's next one, on its way when the goodbye was sent. Then a marker from
        // the same node to the same address, so it reaches the proxy's discovery after the heartbeat.
        JsonObject late = heartbeat.copy().put("seq", heartbeat.getLong("seq", 0L) + 1);
        String marker = "marker-" + round;
        JsonObject markerAnnouncement = new JsonObject().put("name", "marker").put("url", "http://127.0.0.1:1")
          .put("profile", new JsonObject()).put("instance", marker).put("seq", 1).put("heartbeatMs", 60_000);
        backendsNode.runOnContext(v -> {
          backendsNode.eventBus().publish(ANNOUNCE, late);
          backendsNode.eventBus().publish(ANNOUNCE, markerAnnouncement);
        });
        Set<String> routed = Eventually.await(WAIT, () -> client.routedTo(proxy), names -> names.contains("marker"));
        assertFalse(routed.contains("b1"), "round " + round + ": the proxy routes to the closed backend again: " + routed);

        backendsNode.eventBus().publish(LEAVE, new JsonObject().put("instance", marker).put("names", new JsonArray().add("marker")));
        Eventually.await(WAIT, () -> client.routedTo(proxy), names -> names.isEmpty());
      }
      // And the role comes back once more, for real.
      cluster.start(backendsNode, ClusterJson.backends(1, "b1"));
      client.untilServedBy(proxy, Set.of("b1"), WAIT);
      for (int i = 0; i < 6; i++) {
        assertEquals(200, client.get(proxy).status());
      }
    }
  }
}
