package io.adaptivelb.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The proxy role: where it listens, how it reaches backends and how it chooses among them.
 *
 * @param maxConnectionsPerBackend pool bound per backend in persistent mode: large by default, so it rarely
 *                                 limits traffic, yet a bound against running out of file descriptors
 * @param maxWaitQueue             requests allowed to wait for a pooled connection per backend; beyond it: 503
 * @param connectTimeoutMs         TCP connect timeout; expiry answers 502
 * @param upstreamTimeoutMs        longest silence from a backend (before or between response bytes); expiry answers 504
 * @param shutdownTimeoutSec       on stop, how long in-flight requests may take to finish
 * @param limits                   what clients and backends may send before the proxy refuses
 * @param protocols                TLS, HTTP/2, Via and protocol upgrades (WebSocket) on the client side, TLS to backends
 * @param streaming                silence allowed to event streams and long polls instead of upstreamTimeoutMs
 * @param accessLog                the operators' access log (off unless {@code accessLog.path} is set)
 * @param rewriteRedirects         whether {@code Location}, {@code Content-Location} and {@code Refresh} naming a
 *                                 backend's own address are rewritten to the address the client used (nginx's
 *                                 {@code proxy_redirect default})
 */
public record ProxyConfig(String host, int port, int instances, ConnectionMode connection, PolicyConfig policy,
                          List<UpstreamConfig> backends, int maxConnectionsPerBackend, int maxWaitQueue,
                          int connectTimeoutMs, int upstreamTimeoutMs, int keepAliveTimeoutSec,
                          HealthConfig health, RetryConfig retries, int shutdownTimeoutSec,
                          LimitsConfig limits, ProtocolConfig protocols, StreamingConfig streaming,
                          AccessLogConfig accessLog, boolean rewriteRedirects,
                          Map<String, ProxyConfig> groups, List<RouteConfig> routes) {

  /** The group of {@code proxy.backends} and {@code proxy.policy}, where requests no route matches go. */
  public static final String DEFAULT_GROUP = "default";
  /** What an upstream group may set for itself; the proxy's value applies when the group has none. */
  public static final Set<String> GROUP_KEYS = Set.of("connection", "policy", "backends", "maxConnectionsPerBackend",
    "maxWaitQueue", "connectTimeoutMs", "upstreamTimeoutMs", "keepAliveTimeoutSec", "health", "retries",
    "rewriteRedirects");

  /** What a group inherits from the proxy when it does not set it: every group key but its backends. */
  private static final Set<String> INHERITED_KEYS = GROUP_KEYS.stream().filter(k -> !k.equals("backends"))
    .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** The proxy's own settings that no group changes: where it listens and what it accepts from clients. */
  private record Listener(String host, int port, int instances, int shutdownTimeoutSec, LimitsConfig limits,
                          ProtocolConfig protocols, StreamingConfig streaming, AccessLogConfig accessLog) {
  }

  /** @param defaultPolicy the policy type when {@code policy.type} is absent */
  static ProxyConfig read(StrictJson json, String defaultPolicy) {
    json.allowOnly(Set.of("host", "port", "instances", "connection", "policy", "backends",
      "maxConnectionsPerBackend", "maxWaitQueue", "connectTimeoutMs", "upstreamTimeoutMs", "keepAliveTimeoutSec",
      "health", "retries", "shutdownTimeoutSec", "limits", "tls", "http2", "via", "upstreamTls", "websocket",
      "tunnelIdleTimeoutMs", "streaming", "accessLog", "rewriteRedirects", "groups", "routes"));
    Listener listener = new Listener(
      json.string("host", "0.0.0.0"),
      json.integer("port", 8080, 0, 65535),
      json.integer("instances", Runtime.getRuntime().availableProcessors(), 1, 256),
      json.integer("shutdownTimeoutSec", 10, 0, 3600),
      LimitsConfig.read(json.object("limits")),
      ProtocolConfig.read(json),
      StreamingConfig.read(json.object("streaming")),
      AccessLogConfig.read(json.object("accessLog")));
    ProxyConfig proxy = readGroupKeys(json, defaultPolicy, listener);
    Map<String, ProxyConfig> groups = new LinkedHashMap<>();
    json.objectMap("groups", (name, group) -> {
      if (!BackendConfig.NAME.matcher(name).matches() || name.equals(DEFAULT_GROUP)) {
        throw new ConfigException(json.key("groups") + "." + name, "a group name is letters, digits, '.', '_' or '-' (at most 63), not \"default\"");
      }
      groups.put(name, proxy.readGroup(group.allowOnly(GROUP_KEYS).withDefaults(json, INHERITED_KEYS), defaultPolicy));
    });
    List<RouteConfig> routes = json.objects("routes", RouteConfig::read);
    for (int i = 0; i < routes.size(); i++) {
      String group = routes.get(i).group();
      if (!group.equals(DEFAULT_GROUP) && !groups.containsKey(group)) {
        throw new ConfigException(json.key("routes") + "[" + i + "].group", "no group \"" + group + "\" in proxy.groups");
      }
    }
    checkBackendNamesAcrossGroups(json, proxy.backends, groups);
    return proxy.withGroups(groups, routes);
  }

  /** A group's own settings (its keys, the proxy's where it has none) with this proxy's listener. */
  private ProxyConfig readGroup(StrictJson json, String defaultPolicy) {
    ProxyConfig group = readGroupKeys(json, defaultPolicy, listener());
    if (group.backends.isEmpty()) {
      throw new ConfigException(json.key("backends"), "a group needs at least one backend");
    }
    return group;
  }

  /** The one reader of the keys a group may set ({@link #GROUP_KEYS}), for the proxy and for each group. */
  private static ProxyConfig readGroupKeys(StrictJson json, String defaultPolicy, Listener l) {
    return new ProxyConfig(l.host, l.port, l.instances,
      ConnectionMode.of(json.oneOf("connection", "persistent", Set.of("persistent", "non-persistent"))),
      PolicyConfig.read(json.object("policy"), defaultPolicy),
      backends(json),
      json.integer("maxConnectionsPerBackend", 1000, 1, 100_000),
      json.integer("maxWaitQueue", 10_000, 0, 1_000_000),
      json.integer("connectTimeoutMs", 2000, 1, 600_000),
      json.integer("upstreamTimeoutMs", 30_000, 1, 3_600_000),
      json.integer("keepAliveTimeoutSec", 60, 1, 86_400),
      HealthConfig.read(json.object("health")),
      RetryConfig.read(json.object("retries")),
      l.shutdownTimeoutSec, l.limits, l.protocols, l.streaming, l.accessLog,
      json.bool("rewriteRedirects", true),
      Map.of(), List.of());
  }

  /**
   * A group's settings as {@link #groupJson} wrote them (a reload's command), read as {@code proxy.groups.NAME}
   * is and with this proxy's listener: where it listens and what it accepts are not a group's to change.
   */
  public ProxyConfig groupFrom(String name, JsonObject json) {
    StrictJson reader = new StrictJson(json, "proxy.groups." + name).allowOnly(GROUP_KEYS);
    // The default group may have no backends of its own (discovery brings them); a named group must have one.
    return DEFAULT_GROUP.equals(name) ? readGroupKeys(reader, policy.type(), listener()) : readGroup(reader, policy.type());
  }

  /** The keys a group sets ({@link #GROUP_KEYS}), with every value written out as a config would write it. */
  public JsonObject groupJson() {
    return new JsonObject()
      .put("connection", connection.id)
      .put("policy", policy.toJson())
      .put("backends", new JsonArray(backends.stream().map(UpstreamConfig::toJson).toList()))
      .put("maxConnectionsPerBackend", maxConnectionsPerBackend)
      .put("maxWaitQueue", maxWaitQueue)
      .put("connectTimeoutMs", connectTimeoutMs)
      .put("upstreamTimeoutMs", upstreamTimeoutMs)
      .put("keepAliveTimeoutSec", keepAliveTimeoutSec)
      .put("health", health.toJson())
      .put("retries", retries.toJson())
      .put("rewriteRedirects", rewriteRedirects);
  }

  /** This proxy's listener with {@code next}'s groups (the default one's settings included) and routes. */
  public ProxyConfig withUpstreamsOf(ProxyConfig next) {
    return new ProxyConfig(host, port, instances, next.connection, next.policy, next.backends,
      next.maxConnectionsPerBackend, next.maxWaitQueue, next.connectTimeoutMs, next.upstreamTimeoutMs,
      next.keepAliveTimeoutSec, next.health, next.retries, shutdownTimeoutSec, limits, protocols, streaming, accessLog,
      next.rewriteRedirects, next.groups, next.routes);
  }

  private Listener listener() {
    return new Listener(host, port, instances, shutdownTimeoutSec, limits, protocols, streaming, accessLog);
  }

  private static List<UpstreamConfig> backends(StrictJson json) {
    List<UpstreamConfig> backends = json.objects("backends", UpstreamConfig::read);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < backends.size(); i++) {
      if (!names.add(backends.get(i).name())) {
        throw new ConfigException(json.key("backends") + "[" + i + "].name", "duplicate name \"" + backends.get(i).name() + "\"");
      }
    }
    return backends;
  }

  /** Statistics, logs and the admin API name a backend alone: one name, one backend, whatever its group. */
  private static void checkBackendNamesAcrossGroups(StrictJson json, List<UpstreamConfig> own, Map<String, ProxyConfig> groups) {
    Map<String, String> seen = new HashMap<>();
    own.forEach(u -> seen.put(u.name(), DEFAULT_GROUP));
    groups.forEach((group, config) -> {
      List<UpstreamConfig> list = config.backends();
      for (int i = 0; i < list.size(); i++) {
        String previous = seen.putIfAbsent(list.get(i).name(), group);
        if (previous != null) {
          throw new ConfigException(json.key("groups") + "." + group + ".backends[" + i + "].name",
            "\"" + list.get(i).name() + "\" is already a backend of group " + previous + " (names are unique across groups)");
        }
      }
    });
  }

  /** The default group's settings, then each named group's, by name. */
  public Map<String, ProxyConfig> allGroups() {
    Map<String, ProxyConfig> all = new LinkedHashMap<>();
    all.put(DEFAULT_GROUP, this);
    all.putAll(groups);
    return all;
  }

  /** Group {@code name}'s settings (this config itself for the default group), or null when there is no such group. */
  public ProxyConfig group(String name) {
    return DEFAULT_GROUP.equals(name) ? this : groups.get(name);
  }

  /** This config with group {@code name}'s settings changed by {@code change}; itself when it has no such group. */
  public ProxyConfig withGroupChanged(String name, java.util.function.UnaryOperator<ProxyConfig> change) {
    if (DEFAULT_GROUP.equals(name)) {
      return change.apply(this);
    }
    if (!groups.containsKey(name)) {
      return this;
    }
    Map<String, ProxyConfig> changed = new LinkedHashMap<>(groups);
    changed.put(name, change.apply(groups.get(name)));
    return withGroups(changed, routes);
  }

  public ProxyConfig withGroups(Map<String, ProxyConfig> newGroups, List<RouteConfig> newRoutes) {
    return new ProxyConfig(host, port, instances, connection, policy, backends, maxConnectionsPerBackend,
      maxWaitQueue, connectTimeoutMs, upstreamTimeoutMs, keepAliveTimeoutSec, health, retries, shutdownTimeoutSec, limits,
      protocols, streaming, accessLog, rewriteRedirects, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(newGroups)),
      List.copyOf(newRoutes));
  }

  /** Silence allowed from one backend on one try. */
  public int perTryTimeoutMs() {
    return retries.perTryTimeoutMs() > 0 ? retries.perTryTimeoutMs() : upstreamTimeoutMs;
  }

  public ProxyConfig withPolicy(PolicyConfig newPolicy) {
    return new ProxyConfig(host, port, instances, connection, newPolicy, backends, maxConnectionsPerBackend,
      maxWaitQueue, connectTimeoutMs, upstreamTimeoutMs, keepAliveTimeoutSec, health, retries, shutdownTimeoutSec, limits,
      protocols, streaming, accessLog, rewriteRedirects, groups, routes);
  }

  public ProxyConfig withBackends(List<UpstreamConfig> newBackends) {
    return new ProxyConfig(host, port, instances, connection, policy, List.copyOf(newBackends), maxConnectionsPerBackend,
      maxWaitQueue, connectTimeoutMs, upstreamTimeoutMs, keepAliveTimeoutSec, health, retries, shutdownTimeoutSec, limits,
      protocols, streaming, accessLog, rewriteRedirects, groups, routes);
  }

  public ProxyConfig withConnection(ConnectionMode mode) {
    return new ProxyConfig(host, port, instances, mode, policy, backends, maxConnectionsPerBackend,
      maxWaitQueue, connectTimeoutMs, upstreamTimeoutMs, keepAliveTimeoutSec, health, retries, shutdownTimeoutSec, limits,
      protocols, streaming, accessLog, rewriteRedirects, groups, routes);
  }
}
