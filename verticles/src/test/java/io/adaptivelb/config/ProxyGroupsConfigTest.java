package io.adaptivelb.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Upstream groups read from {@code proxy.groups}: what they inherit from the proxy and what they set. */
class ProxyGroupsConfigTest {

  private static JsonArray backend(String name, int port) {
    return new JsonArray().add(new JsonObject().put("name", name).put("url", "http://127.0.0.1:" + port));
  }

  /** A proxy that sets every key a group may set to something other than its default. */
  private static JsonObject proxyWithEveryGroupKey() {
    return new JsonObject().put("port", 0)
      .put("connection", "non-persistent")
      .put("policy", new JsonObject().put("type", "ewma").put("alpha", 0.25))
      .put("backends", backend("web", 3000))
      .put("maxConnectionsPerBackend", 7).put("maxWaitQueue", 8).put("connectTimeoutMs", 9)
      .put("upstreamTimeoutMs", 10).put("keepAliveTimeoutSec", 11)
      .put("health", new JsonObject().put("passive", new JsonObject().put("consecutiveFailures", 12))
        .put("active", new JsonObject().put("path", "/ping")))
      .put("retries", new JsonObject().put("maxAttempts", 3).put("perTryTimeoutMs", 13))
      .put("rewriteRedirects", false);
  }

  private static ProxyConfig read(JsonObject proxy) {
    return LabConfig.parse(new JsonObject().put("roles", new JsonArray().add("proxy")).put("proxy", proxy)).proxy();
  }

  @Test
  void aGroupInheritsEveryKeyItDoesNotSetButItsBackends() {
    JsonObject json = proxyWithEveryGroupKey();
    json.put("groups", new JsonObject().put("api", new JsonObject().put("backends", backend("api1", 4000))));
    ProxyConfig proxy = read(json);
    ProxyConfig api = proxy.groups().get("api");
    assertEquals(proxy.connection(), api.connection());
    assertEquals(proxy.policy(), api.policy());
    assertEquals(proxy.maxConnectionsPerBackend(), api.maxConnectionsPerBackend());
    assertEquals(proxy.maxWaitQueue(), api.maxWaitQueue());
    assertEquals(proxy.connectTimeoutMs(), api.connectTimeoutMs());
    assertEquals(proxy.upstreamTimeoutMs(), api.upstreamTimeoutMs());
    assertEquals(proxy.keepAliveTimeoutSec(), api.keepAliveTimeoutSec());
    assertEquals(proxy.health(), api.health());
    assertEquals(proxy.retries(), api.retries());
    assertEquals(proxy.rewriteRedirects(), api.rewriteRedirects());
    assertEquals("api1", api.backends().get(0).name());
    assertEquals(1, api.backends().size());
    // ... and the listener's settings, which only the proxy has
    assertEquals(proxy.limits(), api.limits());
    assertEquals(proxy.streaming(), api.streaming());
  }

  @Test
  void aGroupsOwnValueWinsOverTheProxys() {
    JsonObject json = proxyWithEveryGroupKey();
    json.put("groups", new JsonObject().put("api", new JsonObject().put("backends", backend("api1", 4000))
      .put("connection", "persistent").put("policy", new JsonObject().put("type", "round-robin"))
      .put("connectTimeoutMs", 99).put("retries", new JsonObject().put("maxAttempts", 1))));
    ProxyConfig api = read(json).groups().get("api");
    assertEquals(ConnectionMode.PERSISTENT, api.connection());
    assertEquals("round-robin", api.policy().type());
    assertEquals(99, api.connectTimeoutMs());
    assertEquals(1, api.retries().maxAttempts());
    assertEquals(0, api.retries().perTryTimeoutMs(), "a whole section replaces the proxy's: no key of it is merged");
    assertEquals(10, api.upstreamTimeoutMs(), "the keys it does not set are still the proxy's");
  }

  @Test
  void aGroupWithoutBackendsIsRefusedAndDoesNotBorrowTheProxys() {
    JsonObject json = proxyWithEveryGroupKey();
    json.put("groups", new JsonObject().put("api", new JsonObject().put("connectTimeoutMs", 5)));
    ConfigException e = assertThrows(ConfigException.class, () -> read(json));
    assertEquals("proxy.groups.api.backends: a group needs at least one backend", e.getMessage());
  }

  @Test
  void aGroupWrittenAsJsonReadsBackAsTheSameGroup() {
    JsonObject json = proxyWithEveryGroupKey();
    json.getJsonArray("backends").add(new JsonObject().put("name", "spare").put("url", "https://spare.example:8443")
      .put("weight", 5).put("backup", true));
    json.put("groups", new JsonObject().put("api", new JsonObject().put("backends", backend("api1", 4000))
      .put("health", new JsonObject().put("passive", new JsonObject().put("slowStartMs", 0)))
      .put("retries", new JsonObject().put("budgetPercent", 12.5).put("requestTimeoutMs", 700))));
    ProxyConfig proxy = read(json);
    // The reload sends a group as JSON to every proxy: every key a group sets must survive the trip.
    assertEquals(proxy.withGroups(java.util.Map.of(), java.util.List.of()), proxy.groupFrom("default", proxy.groupJson()));
    ProxyConfig api = proxy.groups().get("api");
    assertEquals(api, proxy.groupFrom("api", api.groupJson()));
    assertEquals(new java.util.TreeSet<>(ProxyConfig.GROUP_KEYS), new java.util.TreeSet<>(api.groupJson().fieldNames()));
  }
}
