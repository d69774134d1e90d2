package io.adaptivelb.cluster;

import io.adaptivelb.Eventually;
import io.adaptivelb.Lab;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Roles in separate cluster members on loopback (Hazelcast, TCP-IP join): backends announce
 * themselves, proxies route to them and drop them when they leave or their JVM dies.
 */
class ClusterDiscoveryIT {

  private final ProxyClient client = new ProxyClient();

  @Test
  void aBackendNodeJoinsGetsTrafficAndLeavesWithoutAnyClientError() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(3)) {
      Lab proxy = cluster.start(ClusterJson.proxy("metrics", "dashboard"));
      cluster.start(ClusterJson.backends(2, "b1"));
      client.untilServedBy(proxy, Set.of("b1"), Duration.ofSeconds(30));
      Lab joining = cluster.start(ClusterJson.backends(2, "b2"));
      client.untilServedBy(proxy, Set.of("b1", "b2"), Duration.ofSeconds(30));

      List<ProxyClient.Answer> answers;
      try (ProxyClient.Steady steady = new ProxyClient.Steady(proxy)) {
        cluster.stop(joining); // goodbye first, then its port closes
        Eventually.await(Duration.ofSeconds(10), () -> client.routedTo(proxy), names -> names.equals(Set.of("b1")));
        Thread.sleep(300); // traffic after the drop as well
        answers = steady.stop();
      }
      assertTrue(answers.size() > 10, "too little traffic to judge: " + answers.size());
      assertEquals(List.of(), answers.stream().filter(a -> a.status() != 200).toList(), "client errors during a clean leave");
      for (int i = 0; i < 6; i++) {
        assertEquals("b1", client.get(proxy).backend());
      }
    }
  }

  @Test
  void aKilledBackendJvmIsDroppedWithNoClientErrorBeyondTheRequestInFlight(@TempDir Path dir) throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(2)) {
      // This member runs a backend too: local announcements take the same path as remote ones.
      JsonObject json = ClusterJson.proxy("backends", "metrics", "dashboard")
        .put("backends", ClusterJson.backends(2, "b1").getJsonArray("backends"));
      Lab proxy = cluster.start(json);
      Process child = cluster.launch(ClusterJson.backends(2, "b2"), dir);
      client.untilServedBy(proxy, Set.of("b1", "b2"), Duration.ofSeconds(90));

      List<ProxyClient.Answer> answers;
      long droppedAfterMs;
      try (ProxyClient.Steady steady = new ProxyClient.Steady(proxy)) {
        Thread.sleep(200);
        long killedAt = System.nanoTime();
        child.destroyForcibly(); // SIGKILL: no goodbye, only silence
        Eventually.await(Duration.ofSeconds(15), () -> client.routedTo(proxy), names -> names.equals(Set.of("b1")));
        droppedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        Thread.sleep(300);
        answers = steady.stop();
      }
      System.out.println("killed backend JVM dropped after " + droppedAfterMs + " ms (heartbeat "
        + ClusterJson.HEARTBEAT_MS + " ms x 3, plus /stats' 500 ms state period)");
      List<ProxyClient.Answer> failed = answers.stream().filter(a -> a.status() != 200).toList();
      // One client, one request at a time: at most the one in flight to b2 when it died may fail
      // (later ones are refused at connect and retried on b1).
      assertTrue(failed.size() <= 1, "client errors beyond the request in flight: " + failed);
      for (int i = 0; i < 6; i++) {
        assertEquals("b1", client.get(proxy).backend());
      }
    }
  }

  @Test
  void theDashboardSeesEveryProxyAndEveryBackendOfTheCluster() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(4)) {
      Lab observer = cluster.start(ClusterJson.observer());
      cluster.start(ClusterJson.backends(2, "b1", "b2"));
      Lab first = cluster.start(ClusterJson.proxy());
      Lab second = cluster.start(ClusterJson.proxy());
      client.untilServedBy(first, Set.of("b1", "b2"), Duration.ofSeconds(30));
      client.untilServedBy(second, Set.of("b1", "b2"), Duration.ofSeconds(30));
      for (int i = 0; i < 10; i++) {
        assertEquals(200, client.get(first).status());
        assertEquals(200, client.get(second).status());
      }
      long sent = client.sent();

      // Records cross the cluster as batches (the codec on every member), so the observer counts them all.
      JsonObject stats = Eventually.await(Duration.ofSeconds(15), () -> client.stats(observer),
        s -> s.getJsonObject("totals").getLong("requestsTotal") == sent && s.getJsonArray("proxies").size() == 2
          && s.getJsonArray("backends").stream().allMatch(b -> ((JsonObject) b).containsKey("server")));
      // Two proxy labs of one instance each: two entries, each its own proxy.
      assertEquals(2, Set.copyOf(stats.getJsonArray("proxies").stream()
        .map(p -> ((JsonObject) p).getString("proxy")).toList()).size());
      assertEquals(List.of("b1", "b2"), stats.getJsonArray("backends").stream()
        .map(b -> ((JsonObject) b).getString("name")).toList());
      // Each proxy keeps its own policy state, and each routes to both backends.
      for (Object p : stats.getJsonArray("proxies")) {
        assertEquals(2, ((JsonObject) p).getJsonArray("backends").size(), p::toString);
      }
    }
  }
}
