package io.adaptivelb.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config rules clustering adds: the cluster section, optional proxy backends, advertised hosts. */
class ClusterConfigTest {

  private static JsonObject proxyOnly(JsonObject cluster) {
    JsonObject json = new JsonObject().put("roles", new JsonArray().add("proxy"))
      .put("proxy", new JsonObject().put("backends", new JsonArray()));
    return cluster == null ? json : json.put("cluster", cluster);
  }

  private static JsonObject backend(JsonObject settings) {
    return new JsonObject().put("roles", new JsonArray().add("backends"))
      .put("backends", new JsonArray().add(settings.copy().put("name", "b1").put("port", 9001)));
  }

  @Test
  void aProxyWithoutBackendsNeedsDiscovery() {
    ConfigException e = assertThrows(ConfigException.class, () -> LabConfig.parse(proxyOnly(null)));
    assertTrue(e.getMessage().startsWith("proxy.backends: role proxy needs at least one backend"), e.getMessage());
    assertThrows(ConfigException.class, () -> LabConfig.parse(proxyOnly(new JsonObject().put("discovery", false))));
    LabConfig config = LabConfig.parse(proxyOnly(new JsonObject().put("discovery", true)));
    assertTrue(config.cluster().discovery());
    assertTrue(config.proxy().backends().isEmpty());
  }

  @Test
  void theClusterSectionHasDefaultsAndRefusesWhatItDoesNotKnow() {
    assertEquals(ClusterConfig.DEFAULT, ConfigSource.resolve(new JsonObject()).cluster());
    ConfigException unknown = assertThrows(ConfigException.class,
      () -> LabConfig.parse(proxyOnly(new JsonObject().put("discovery", true).put("heartbeat", 5))));
    assertTrue(unknown.getMessage().startsWith("cluster.heartbeat: unknown key"), unknown.getMessage());
    ConfigException tooFast = assertThrows(ConfigException.class,
      () -> LabConfig.parse(proxyOnly(new JsonObject().put("discovery", true).put("heartbeatMs", 1))));
    assertTrue(tooFast.getMessage().startsWith("cluster.heartbeatMs: must be between 50"), tooFast.getMessage());
  }

  @Test
  void aBackendAdvertisesItsBindHostOrLoopbackForAWildcard() {
    assertEquals("127.0.0.1", LabConfig.parse(backend(new JsonObject())).backends().get(0).advertisedHost());
    assertEquals("127.0.0.1", LabConfig.parse(backend(new JsonObject().put("host", "0.0.0.0"))).backends().get(0).advertisedHost());
    assertEquals("10.1.2.3", LabConfig.parse(backend(new JsonObject().put("host", "10.1.2.3"))).backends().get(0).advertisedHost());
    assertEquals("b1", LabConfig.parse(backend(new JsonObject().put("advertisedHost", "b1"))).backends().get(0).advertisedHost());
    ConfigException bad = assertThrows(ConfigException.class,
      () -> LabConfig.parse(backend(new JsonObject().put("advertisedHost", "http://b1"))));
    assertTrue(bad.getMessage().startsWith("backends[0].advertisedHost: \"http://b1\" must be a host name"), bad.getMessage());
  }

  @Test
  void theShippedClusterAndContainerConfigsAreValid() throws Exception {
    try (var files = Files.list(Path.of("conf"))) {
      var names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("cluster-") && n.endsWith(".json")).sorted().toList();
      assertTrue(names.containsAll(java.util.List.of("cluster-backends.json", "cluster-proxy.json")), names.toString());
      for (String name : names) {
        LabConfig config = LabConfig.parse(new JsonObject(Files.readString(Path.of("conf", name))));
        assertFalse(config.roles().isEmpty(), name);
        if (config.runs(LabConfig.Role.PROXY)) {
          assertTrue(config.cluster().discovery(), name + ": a cluster proxy finds its backends");
        }
      }
    }
  }
}
