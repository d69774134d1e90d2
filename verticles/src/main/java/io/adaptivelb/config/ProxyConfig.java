package io.adaptivelb.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The proxy role: where it listens, how it reaches backends and how it chooses among them.
 *
 * @param maxConnectionsPerBackend pool bound per backend in persistent mode (the original plan had no
 *                                 bound at all; the large default keeps that spirit without risking fd exhaustion)
 * @param maxWaitQueue             requests allowed to wait for a pooled connection per backend; beyond it: 503
 * @param connectTimeoutMs         TCP connect timeout; expiry answers 502
 * @param upstreamTimeoutMs        longest silence from a backend (before or between response bytes); expiry answers 504
 * @param shutdownTimeoutSec       on stop, how long in-flight requests may take to finish
 * @param limits                   what clients and backends may send before the proxy refuses (issue #7)
 * @param accessLog                the operators' access log (off unless {@code accessLog.path} is set)
 * @param rewriteRedirects         whether {@code Location}, {@code Content-Location} and {@code Refresh} naming a
 *                                 backend's own address are rewritten to the address the client used (nginx's
 *                                 {@code proxy_redirect default})
 */
public record ProxyConfig(String host, int port, int instances, ConnectionMode connection, PolicyConfig policy,
                          List<UpstreamConfig> backends, int maxConnectionsPerBackend, int maxWaitQueue,
                          int connectTimeoutMs, int upstreamTimeoutMs, int keepAliveTimeoutSec,
                          HealthConfig health, RetryConfig retries, int shutdownTimeoutSec,
                          LimitsConfig limits, AccessLogConfig accessLog, boolean rewriteRedirects) {

  /** @param defaultPolicy the policy type when {@code policy.type} is absent */
  static ProxyConfig read(StrictJson json, String defaultPolicy) {
    json.allowOnly(Set.of("host", "port", "instances", "connection", "policy", "backends",
      "maxConnectionsPerBackend", "maxWaitQueue", "connectTimeoutMs", "upstreamTimeoutMs", "keepAliveTimeoutSec",
      "health", "retries", "shutdownTimeoutSec", "limits", "accessLog", "rewriteRedirects"));
    List<UpstreamConfig> backends = json.objects("backends", UpstreamConfig::read);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < backends.size(); i++) {
      if (!names.add(backends.get(i).name())) {
        throw new ConfigException(json.key("backends") + "[" + i + "].name", "duplicate name \"" + backends.get(i).name() + "\"");
      }
    }
    return new ProxyConfig(
      json.string("host", "0.0.0.0"),
      json.integer("port", 8080, 0, 65535),
      json.integer("instances", Runtime.getRuntime().availableProcessors(), 1, 256),
      ConnectionMode.of(json.oneOf("connection", "persistent", Set.of("persistent", "non-persistent"))),
      PolicyConfig.read(json.object("policy"), defaultPolicy),
      backends,
      json.integer("maxConnectionsPerBackend", 1000, 1, 100_000),
      json.integer("maxWaitQueue", 10_000, 0, 1_000_000),
      json.integer("connectTimeoutMs", 2000, 1, 600_000),
      json.integer("upstreamTimeoutMs", 30_000, 1, 3_600_000),
      json.integer("keepAliveTimeoutSec", 60, 1, 86_400),
      HealthConfig.read(json.object("health")),
      RetryConfig.read(json.object("retries")),
      json.integer("shutdownTimeoutSec", 10, 0, 3600),
      LimitsConfig.read(json.object("limits")),
      AccessLogConfig.read(json.object("accessLog")),
      json.bool("rewriteRedirects", true));
  }

  /** Silence allowed from one backend on one try. */
  public int perTryTimeoutMs() {
    return retries.perTryTimeoutMs() > 0 ? retries.perTryTimeoutMs() : upstreamTimeoutMs;
  }

  public ProxyConfig withPolicy(PolicyConfig newPolicy) {
    return new ProxyConfig(host, port, instances, connection, newPolicy, backends, maxConnectionsPerBackend,
      maxWaitQueue, connectTimeoutMs, upstreamTimeoutMs, keepAliveTimeoutSec, health, retries, shutdownTimeoutSec, limits,
      accessLog, rewriteRedirects);
  }

  public ProxyConfig withBackends(List<UpstreamConfig> newBackends) {
    return new ProxyConfig(host, port, instances, connection, policy, List.copyOf(newBackends), maxConnectionsPerBackend,
      maxWaitQueue, connectTimeoutMs, upstreamTimeoutMs, keepAliveTimeoutSec, health, retries, shutdownTimeoutSec, limits,
      accessLog, rewriteRedirects);
  }

  public ProxyConfig withConnection(ConnectionMode mode) {
    return new ProxyConfig(host, port, instances, mode, policy, backends, maxConnectionsPerBackend,
      maxWaitQueue, connectTimeoutMs, upstreamTimeoutMs, keepAliveTimeoutSec, health, retries, shutdownTimeoutSec, limits,
      accessLog, rewriteRedirects);
  }
}
