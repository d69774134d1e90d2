package io.adaptivelb.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The whole validated configuration. Everything a process needs is checked here, before any server
 * starts, so a bad file costs the user one clear line and nothing else.
 */
public record LabConfig(Set<Role> roles, ProxyConfig proxy, List<BackendConfig> backends,
                        MetricsConfig metrics, DashboardConfig dashboard, ClusterConfig cluster) {

  public enum Role {
    BACKENDS("backends"), PROXY("proxy"), METRICS("metrics"), DASHBOARD("dashboard");

    public final String id;

    Role(String id) {
      this.id = id;
    }
  }

  public static final String BUNDLED_DEFAULT = "conf/default.json";

  public static LabConfig parse(JsonObject json) {
    return read(StrictJson.root(json));
  }

  static LabConfig read(StrictJson root) {
    root.allowOnly(Set.of("roles", "proxy", "backends", "metrics", "dashboard", "cluster"));
    Set<Role> roles = roles(root);
    List<BackendConfig> backends = root.objects("backends", BackendConfig::read);
    LabConfig config = new LabConfig(roles,
      ProxyConfig.read(root.object("proxy"), defaultPolicy(roles)),
      backends,
      MetricsConfig.read(root.object("metrics")),
      DashboardConfig.read(root.object("dashboard")),
      ClusterConfig.read(root.object("cluster")));
    config.checkConsistency();
    return config;
  }

  /**
   * The lab (simulated backends in this process) keeps the proposal's policy; a proxy in front of real
   * servers gets the one recommended for them.
   */
  public static String defaultPolicy(Set<Role> roles) {
    return roles.contains(Role.BACKENDS) ? PolicyConfig.LAB_DEFAULT : PolicyConfig.RECOMMENDED;
  }

  public LabConfig withProxy(ProxyConfig newProxy) {
    return new LabConfig(roles, newProxy, backends, metrics, dashboard, cluster);
  }

  public boolean runs(Role role) {
    return roles.contains(role);
  }

  private static Set<Role> roles(StrictJson root) {
    List<String> ids = root.strings("roles", List.of("backends", "proxy", "metrics", "dashboard"),
      Arrays.stream(Role.values()).map(r -> r.id).collect(Collectors.toSet()));
    if (ids.isEmpty()) {
      throw new ConfigException("roles", "must name at least one of backends, proxy, metrics, dashboard");
    }
    Set<Role> roles = new LinkedHashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      Role role = null;
      for (Role r : Role.values()) {
        if (r.id.equals(ids.get(i))) {
          role = r;
        }
      }
      if (role == null) {
        throw new ConfigException("roles[" + i + "]", "unknown role \"" + ids.get(i) + "\" (expected backends, proxy, metrics or dashboard)");
      }
      if (!roles.add(role)) {
        throw new ConfigException("roles[" + i + "]", "role \"" + ids.get(i) + "\" listed twice");
      }
    }
    return roles;
  }

  private void checkConsistency() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < backends.size(); i++) {
      if (!names.add(backends.get(i).name())) {
        throw new ConfigException("backends[" + i + "].name", "duplicate name \"" + backends.get(i).name() + "\"");
      }
    }
    if (runs(Role.BACKENDS) && backends.isEmpty()) {
      throw new ConfigException("backends", "role backends needs at least one backend");
    }
    // With discovery the backends come from the cluster, so a proxy may start with none of its own.
    if (runs(Role.PROXY) && proxy.backends().isEmpty() && !cluster.discovery()) {
      throw new ConfigException("proxy.backends", "role proxy needs at least one backend (or \"cluster\": {\"discovery\": true})");
    }
    checkPorts();
  }

  /** Two servers of this process on one port would be silently shared by Vert.x, so refuse it here. */
  private void checkPorts() {
    Map<Integer, String> used = new HashMap<>();
    List<String[]> claims = new ArrayList<>();
    if (runs(Role.PROXY)) {
      claims.add(new String[]{"proxy.port", String.valueOf(proxy.port())});
    }
    if (runs(Role.DASHBOARD)) {
      claims.add(new String[]{"dashboard.port", String.valueOf(dashboard.port())});
    }
    if (runs(Role.BACKENDS)) {
      for (int i = 0; i < backends.size(); i++) {
        claims.add(new String[]{"backends[" + i + "].port", String.valueOf(backends.get(i).port())});
      }
    }
    for (String[] claim : claims) {
      int port = Integer.parseInt(claim[1]);
      if (port == 0) {
        continue; // ephemeral: the OS picks distinct ports
      }
      String previous = used.putIfAbsent(port, claim[0]);
      if (previous != null) {
        throw new ConfigException(claim[0], "port " + port + " is already used by " + previous);
      }
    }
  }
}
