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
 * What a reloaded config changes: every changed key, the commands that apply some of them live and the
 * other changed keys, which only a restart applies. Live: everything an upstream group sets (the
 * default group's keys under {@code proxy}, the named groups under {@code proxy.groups}), the groups
 * themselves, the routes, and simulated backends' profiles. The changed keys come from the config
 * records themselves ({@link ChangedKeys}), so a new config field is reported without being listed here.
 */
record ConfigDiff(List<Command> commands, List<String> changed, List<String> restartRequired) {

  /** What a group's own commands change without rebuilding it; a change of any other group key rebuilds it. */
  private static final List<String> SWITCHED_KEYS = List.of("policy", "connection", "backends");
  private static final String GROUPS_KEY = "proxy.groups";
  private static final String ROUTES_KEY = "proxy.routes";
  /** A simulated backend's live profile, as its {@code profile} command carries it. */
  private static final Pattern LIVE_PROFILE_KEY = Pattern.compile("backends\\[\\d+]\\.(latency|capacity|errorRate)(\\..*)?");

  /** One bus message: where it goes and what it says. */
  record Command(String address, JsonObject body) {
  }

  static ConfigDiff between(LabConfig running, LabConfig next) {
    List<Command> commands = new ArrayList<>();
    Map<String, ProxyConfig> before = running.proxy().allGroups();
    Map<String, ProxyConfig> after = next.proxy().allGroups();
    // Groups first, routes next, removals last: no route ever names a group a proxy does not have.
    after.forEach((name, group) -> groupChanges(name, before.get(name), group, commands));
    if (!running.proxy().routes().equals(next.proxy().routes())) {
      commands.add(AdminCommands.routes(next.proxy().routes()));
    }
    before.keySet().stream().filter(name -> !after.containsKey(name)).forEach(name -> commands.add(AdminCommands.removeGroup(name)));
    if (running.proxy().protocols().tls() != null && Objects.equals(running.proxy().protocols().tls(), next.proxy().protocols().tls())) {
      commands.add(AdminCommands.reloadCertificates()); // the files may hold renewed certificates under the same names
    }
    profileChanges(running, next, commands);
    List<String> changed = new ArrayList<>();
    for (String key : ChangedKeys.between(running, next)) {
      if (key.equals(GROUPS_KEY)) {
        changed.addAll(groupKeys(before, after));
      } else {
        changed.add(key);
      }
    }
    List<String> restart = changed.stream().filter(key -> !appliedLive(key)).toList();
    return new ConfigDiff(commands, changed, restart);
  }

  /**
   * A new group is made; a group whose policy, connection mode or backends alone changed gets the
   * commands the admin API sends for them (it keeps what it learnt); any other change rebuilds it.
   */
  private static void groupChanges(String name, ProxyConfig old, ProxyConfig group, List<Command> commands) {
    if (old == null) {
      commands.add(AdminCommands.group(name, group));
      return;
    }
    if (!withoutSwitchedKeys(old).equals(withoutSwitchedKeys(group))) {
      commands.add(AdminCommands.group(name, group));
      // The rebuilt group keeps the backends added at run time; those the running config had and the file drops go.
      Map<String, UpstreamConfig> after = byName(group.backends());
      byName(old.backends()).keySet().stream().filter(b -> !after.containsKey(b))
        .forEach(b -> commands.add(AdminCommands.remove(name, b)));
      return;
    }
    if (!old.policy().equals(group.policy())) {
      commands.add(AdminCommands.policy(name, group.policy().toJson()));
    }
    if (old.connection() != group.connection()) {
      commands.add(AdminCommands.connection(name, group.connection().id));
    }
    Map<String, UpstreamConfig> before = byName(old.backends());
    Map<String, UpstreamConfig> after = byName(group.backends());
    after.forEach((backend, upstream) -> {
      UpstreamConfig was = before.get(backend);
      if (was == null) {
        commands.add(AdminCommands.add(name, upstream));
      } else if (!was.equals(upstream)) {
        commands.add(AdminCommands.remove(name, backend));
        commands.add(AdminCommands.add(name, upstream));
      }
    });
    before.keySet().stream().filter(backend -> !after.containsKey(backend))
      .forEach(backend -> commands.add(AdminCommands.remove(name, backend)));
  }

  private static JsonObject withoutSwitchedKeys(ProxyConfig group) {
    JsonObject json = group.groupJson();
    SWITCHED_KEYS.forEach(json::remove);
    return json;
  }

  /**
   * The changed keys of the named groups: {@code proxy.groups.api.connectTimeoutMs},
   * {@code proxy.groups.api (added)}, {@code proxy.groups (removed: api)}. Only the keys a group sets:
   * its listener settings are the proxy's, reported under {@code proxy}.
   */
  private static List<String> groupKeys(Map<String, ProxyConfig> before, Map<String, ProxyConfig> after) {
    List<String> keys = new ArrayList<>();
    after.forEach((name, group) -> {
      if (name.equals(ProxyConfig.DEFAULT_GROUP)) {
        return;
      }
      ProxyConfig old = before.get(name);
      if (old == null) {
        keys.add(GROUPS_KEY + "." + name + " (added)");
        return;
      }
      ChangedKeys.between(old, group).stream()
        .filter(key -> ProxyConfig.GROUP_KEYS.contains(key.split("[.\\[ ]", 2)[0]))
        .forEach(key -> keys.add(GROUPS_KEY + "." + name + "." + key));
    });
    before.keySet().stream().filter(name -> !after.containsKey(name))
      .forEach(name -> keys.add(GROUPS_KEY + " (removed: " + name + ")"));
    return keys;
  }

  private static boolean appliedLive(String key) {
    List<String> live = new ArrayList<>(List.of(GROUPS_KEY, ROUTES_KEY));
    ProxyConfig.GROUP_KEYS.forEach(k -> live.add("proxy." + k));
    return live.stream().anyMatch(prefix -> key.equals(prefix) || key.startsWith(prefix + ".") || key.startsWith(prefix + "[")
      || key.startsWith(prefix + " ")) || LIVE_PROFILE_KEY.matcher(key).matches();
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
