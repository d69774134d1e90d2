package io.adaptivelb.config;


import java.util.Set;

/**
 * The {@code cluster} section: how backends announce themselves and whether this process's proxy
 * routes to the backends it hears about.
 *
 * @param discovery        the proxy role adds announced backends and drops them when they leave or go
 *                         silent; with it on, {@code proxy.backends} may be empty
 * @param heartbeatMs      how often the backends role announces each backend (the proxies take the
 *                         period from each announcement, so processes need not agree on it)
 * @param missedHeartbeats a backend not heard of for this many of its periods is dropped (a killed JVM
 *                         sends no goodbye)
 */
public record ClusterConfig(boolean discovery, int heartbeatMs, int missedHeartbeats) {

  public static final ClusterConfig DEFAULT = new ClusterConfig(false, 1000, 3);

  public static ClusterConfig read(StrictJson json) {
    json.allowOnly(Set.of("discovery", "heartbeatMs", "missedHeartbeats"));
    return new ClusterConfig(
      json.bool("discovery", DEFAULT.discovery),
      json.integer("heartbeatMs", DEFAULT.heartbeatMs, 50, 60_000),
      json.integer("missedHeartbeats", DEFAULT.missedHeartbeats, 2, 100));
  }
}
