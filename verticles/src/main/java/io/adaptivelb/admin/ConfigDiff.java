package io.adaptivelb.admin;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.config.UpstreamConfig;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a reloaded config changes: every changed key, the commands that apply some of them live (policy,
 * connection mode, backends added or drained, simulated backends' profiles) and the other changed keys,
 * which only a restart applies. The changed keys come from the config records themselves
 * ({@link ChangedKeys}), so a new config field is reported without being listed here.
 */
record ConfigDiff(List<Command> commands, List<String> changed, List<String> restartRequired) {

  /** What the commands apply: {@code proxy.policy}, {@code proxy.connection}, {@code proxy.backends}. */
  private static final List<String> LIVE_PROXY_KEYS = List.of("proxy.policy", "proxy.connection", "proxy.backends");
  /** A simulated backend's live profile, as its {@code profile} command carries it. */
  private static final Pattern LIVE_PROFILE_KEY = Pattern.compile("backends\\[\\d+]\\.(latency|capacity|errorRate)(\\..*)?");

  /** One bus message: where it goes and what it says. */
  record Command(String address, JsonObject body) {
  }

  static ConfigDiff between(LabConfig running, LabConfig next) {
    List<Command> commands = new ArrayList<>();
    if (!running.proxy().policy().equals(next.proxy().policy())) {
      commands.add(AdminCommands.policy(ProxyConfig.DEFAULT_GROUP, next.proxy().policy().toJson()));
    }
    if (running.proxy().connection() != next.proxy().connection()) {
      commands.add(AdminCommands.connection(ProxyConfig.DEFAULT_GROUP, next.proxy().connection().id));
    }
    Map<String, UpstreamConfig> before = byName(running.proxy().backends());
    Map<String, UpstreamConfig> after = byName(next.proxy().backends());
    after.forEach((name, upstream) -> {
      UpstreamConfig old = before.get(name);
      if (old == null) {
        commands.add(AdminCommands.add(ProxyConfig.DEFAULT_GROUP, upstream));
      } else if (!old.equals(upstream)) {
        commands.add(AdminCommands.remove(ProxyConfig.DEFAULT_GROUP, name));
        commands.add(AdminCommands.add(ProxyConfig.DEFAULT_GROUP, upstream));
      }
    });
    before.keySet().stream().filter(name -> !after.containsKey(name)).forEach(name -> commands.add(AdminCommands.remove(ProxyConfig.DEFAULT_GROUP, name)));
    if (running.proxy().protocols().tls() != null && Objects.equals(running.proxy().protocols().tls(), next.proxy().protocols().tls())) {
      commands.add(AdminCommands.reloadCertificates()); // the files may hold renewed certificates under the same names
    }
    profileChanges(running, next, commands);
    List<String> changed = ChangedKeys.between(running, next);
    List<String> restart = changed.stream().filter(key -> !appliedLive(key)).toList();
    return new ConfigDiff(commands, changed, restart);
  }

  private static boolean appliedLive(String key) {
    return LIVE_PROXY_KEYS.stream().anyMatch(live -> key.equals(live) || key.startsWith(live + ".") || key.startsWith(live + "[")
      || key.startsWith(live + " ")) || LIVE_PROFILE_KEY.matcher(key).matches();
  }

  /** Simulated backends in both configs whose latency, capacity or error rate changed. */
  private static void profileChanges(LabConfig running, LabConfig next, List<Command> commands) {
    Map<String, BackendConfig> before = new HashMap<>();
    running.backends().forEach(b -> before.put(b.name(), b));
    for (BackendConfig b : next.backends()) {
      BackendConfig old = before.get(b.name());
      if (old == null) {
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
    }
  }

  private static Map<String, UpstreamConfig> byName(List<UpstreamConfig> list) {
    Map<String, UpstreamConfig> map = new LinkedHashMap<>();
    list.forEach(u -> map.put(u.name(), u));
    return map;
  }
}
