package io.adaptivelb.admin;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.UpstreamConfig;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reloaded config changes: the commands that apply it live (policy, connection mode, backends
 * added or drained, simulated backends' profiles) and the keys that only a restart can change.
 */
record ConfigDiff(List<Command> commands, List<String> restartRequired) {

  /** One bus message: where it goes and what it says. */
  record Command(String address, JsonObject body) {
  }

  static ConfigDiff between(LabConfig running, LabConfig next) {
    List<Command> commands = new ArrayList<>();
    List<String> restart = new ArrayList<>();
    if (!running.proxy().policy().equals(next.proxy().policy())) {
      commands.add(AdminCommands.policy(next.proxy().policy().toJson()));
    }
    if (running.proxy().connection() != next.proxy().connection()) {
      commands.add(AdminCommands.connection(next.proxy().connection().id));
    }
    Map<String, UpstreamConfig> before = byName(running.proxy().backends());
    Map<String, UpstreamConfig> after = byName(next.proxy().backends());
    after.forEach((name, upstream) -> {
      UpstreamConfig old = before.get(name);
      if (old == null) {
        commands.add(AdminCommands.add(upstream));
      } else if (!old.equals(upstream)) {
        commands.add(AdminCommands.remove(name));
        commands.add(AdminCommands.add(upstream));
      }
    });
    before.keySet().stream().filter(name -> !after.containsKey(name)).forEach(name -> commands.add(AdminCommands.remove(name)));
    profileChanges(running, next, commands, restart);
    compare(restart, "roles", running.roles(), next.roles());
    compare(restart, "proxy.port", running.proxy().port(), next.proxy().port());
    compare(restart, "proxy.host", running.proxy().host(), next.proxy().host());
    compare(restart, "proxy.instances", running.proxy().instances(), next.proxy().instances());
    compare(restart, "proxy.maxConnectionsPerBackend", running.proxy().maxConnectionsPerBackend(), next.proxy().maxConnectionsPerBackend());
    compare(restart, "proxy.maxWaitQueue", running.proxy().maxWaitQueue(), next.proxy().maxWaitQueue());
    compare(restart, "proxy.connectTimeoutMs", running.proxy().connectTimeoutMs(), next.proxy().connectTimeoutMs());
    compare(restart, "proxy.upstreamTimeoutMs", running.proxy().upstreamTimeoutMs(), next.proxy().upstreamTimeoutMs());
    compare(restart, "proxy.keepAliveTimeoutSec", running.proxy().keepAliveTimeoutSec(), next.proxy().keepAliveTimeoutSec());
    compare(restart, "proxy.health", running.proxy().health(), next.proxy().health());
    compare(restart, "proxy.retries", running.proxy().retries(), next.proxy().retries());
    compare(restart, "proxy.groups", running.proxy().groups(), next.proxy().groups());
    compare(restart, "proxy.routes", running.proxy().routes(), next.proxy().routes());
    compare(restart, "proxy.accessLog", running.proxy().accessLog(), next.proxy().accessLog());
    compare(restart, "proxy.rewriteRedirects", running.proxy().rewriteRedirects(), next.proxy().rewriteRedirects());
    compare(restart, "proxy.shutdownTimeoutSec", running.proxy().shutdownTimeoutSec(), next.proxy().shutdownTimeoutSec());
    compare(restart, "metrics", running.metrics(), next.metrics());
    compare(restart, "dashboard", running.dashboard(), next.dashboard());
    return new ConfigDiff(commands, restart);
  }

  private static void profileChanges(LabConfig running, LabConfig next, List<Command> commands, List<String> restart) {
    Map<String, BackendConfig> before = new HashMap<>();
    running.backends().forEach(b -> before.put(b.name(), b));
    for (int i = 0; i < next.backends().size(); i++) {
      BackendConfig b = next.backends().get(i);
      BackendConfig old = before.remove(b.name());
      if (old == null) {
        restart.add("backends[" + i + "] (new simulated backend " + b.name() + ")");
        continue;
      }
      JsonObject change = new JsonObject();
      if (!old.latency().equals(b.latency())) {
        change.put("latency", b.latency().toJson());
      }
      if (old.capacity() != b.capacity()) {
        change.put("capacity", b.capacity());
      }
      if (old.errorRate() != b.errorRate()) {
        change.put("errorRate", b.errorRate());
      }
      if (!change.isEmpty()) {
        commands.add(AdminCommands.profile(b.name(), change));
      }
      if (old.port() != b.port() || !old.host().equals(b.host()) || old.bodyBytes() != b.bodyBytes()
        || !old.phases().equals(b.phases())) {
        restart.add("backends[" + i + "] (port, host, bodyBytes or phases of " + b.name() + ")");
      }
    }
    before.keySet().forEach(name -> restart.add("backends (simulated backend " + name + " removed)"));
  }

  private static void compare(List<String> restart, String key, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      restart.add(key);
    }
  }

  private static Map<String, UpstreamConfig> byName(List<UpstreamConfig> list) {
    Map<String, UpstreamConfig> map = new LinkedHashMap<>();
    list.forEach(u -> map.put(u.name(), u));
    return map;
  }
}
