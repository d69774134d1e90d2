package io.adaptivelb.proxy;

import io.adaptivelb.accesslog.AccessLog;
import io.adaptivelb.common.Clock;
import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.config.RouteConfig;
import io.adaptivelb.config.UpstreamConfig;
import io.adaptivelb.health.RetryBudget;
import io.adaptivelb.policy.PolicyType;
import io.adaptivelb.telemetry.TelemetryPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * One proxy instance's upstream groups (each a {@link ProxyRuntime} with its pool, policy, connections
 * and health checks) and the routes that choose among them, as a reload may change them while traffic
 * flows: a group added, rebuilt with new settings, or removed, and the routes replaced. A rebuilt or
 * removed group's requests in flight finish on it, and it is closed once none is left. Belongs to the
 * instance's event loop.
 */
final class UpstreamGroups {

  /** How often a retired group is checked for requests still in flight. */
  private static final long RETIRED_CHECK_MS = 1_000;

  /** @param configured the names of the backends its settings list (the others were added at run time) */
  private record Member(ProxyRuntime runtime, ActiveHealthChecker checker, Set<String> configured) {
  }

  private final Vertx vertx;
  /** The proxy's config: its listener settings are every group's, its groups and routes the ones at start. */
  private final ProxyConfig config;
  private final TelemetryPublisher telemetry;
  private final RequestIds ids;
  private final SplittableRandom random = new SplittableRandom();
  private final boolean clientTls;
  /** Per group, the default one first. */
  private final Map<String, Member> groups = new LinkedHashMap<>();
  private final Set<Member> retired = new LinkedHashSet<>();
  private List<RouteConfig> routeConfigs;
  private RouteTable<ProxyRuntime> routes;
  private AccessLog accessLog;
  private long retiredTimer = -1;

  UpstreamGroups(Vertx vertx, ProxyConfig config, TelemetryPublisher telemetry, RequestIds ids, boolean clientTls) {
    this.vertx = vertx;
    this.config = config;
    this.telemetry = telemetry;
    this.ids = ids;
    this.clientTls = clientTls;
  }

  /** Makes every group of the config and its routes; completes when their warm-up probes are done. */
  Future<Void> start() {
    List<Future<Void>> warm = new ArrayList<>();
    config.allGroups().forEach((name, group) -> warm.add(make(name, group, names(group.backends()))));
    routeConfigs = config.routes();
    routes = new RouteTable<>(routeConfigs, this::get, get(ProxyConfig.DEFAULT_GROUP));
    return Future.all(warm).mapEmpty();
  }

  /** Where each request goes: rebuilt whenever a group or a route changes. */
  RouteTable<ProxyRuntime> routes() {
    return routes;
  }

  /** The runtime of group {@code name}, or null. */
  ProxyRuntime get(String name) {
    Member m = groups.get(name);
    return m == null ? null : m.runtime;
  }

  void forEach(BiConsumer<String, ProxyRuntime> action) {
    groups.forEach((name, m) -> action.accept(name, m.runtime));
  }

  /** The operators' access log, for every group's requests (made now or later). */
  void accessLog(AccessLog log) {
    accessLog = log;
    groups.values().forEach(m -> m.runtime.accessLog = log);
  }

  /**
   * Adds group {@code name}, or rebuilds it with new settings: new requests go to the new one at once.
   * A rebuilt group keeps the backends added to it at run time (by the admin API or discovery), which
   * {@code settings} cannot know of; its policy and health start afresh.
   */
  void put(String name, ProxyConfig settings) {
    Member old = groups.get(name);
    List<UpstreamConfig> backends = new ArrayList<>(settings.backends());
    if (old != null) {
      Set<String> named = names(settings.backends());
      old.runtime.pool.configs().stream()
        .filter(b -> !old.configured.contains(b.name()) && !named.contains(b.name()))
        .forEach(backends::add);
    }
    make(name, settings.withBackends(backends), names(settings.backends()));
    if (old != null) {
      retire(old);
    }
    rebuildRoutes();
  }

  /** Removes group {@code name}: refused for the default group and for a group a route still sends requests to. */
  void remove(String name) {
    if (ProxyConfig.DEFAULT_GROUP.equals(name)) {
      throw new IllegalArgumentException("the default group cannot be removed");
    }
    if (!groups.containsKey(name)) {
      throw new IllegalArgumentException("no group \"" + name + "\"");
    }
    for (RouteConfig route : routeConfigs) {
      if (route.group().equals(name)) {
        throw new IllegalArgumentException("a route still sends requests to group \"" + name + "\"");
      }
    }
    retire(groups.remove(name));
  }

  /** Replaces the routes; refused when one names a group this instance does not have. */
  void routes(List<RouteConfig> next) {
    for (RouteConfig route : next) {
      if (!groups.containsKey(route.group())) {
        throw new IllegalArgumentException("a route names group \"" + route.group() + "\", which this proxy does not have");
      }
    }
    routeConfigs = List.copyOf(next);
    rebuildRoutes();
  }

  /** Stops the active health checks (the first step of a stop: no new probe starts). */
  void stopChecks() {
    groups.values().forEach(m -> m.checker.stop());
  }

  /** Closes every group's tunnels (WebSocket and other upgrades), the retired groups' included: a stop's grace is over. */
  void endTunnels() {
    groups.values().forEach(m -> m.runtime.endTunnels());
    retired.forEach(m -> m.runtime.endTunnels());
  }

  /** Closes every group, the retired ones included: the last step of a stop. */
  void close() {
    if (retiredTimer >= 0) {
      vertx.cancelTimer(retiredTimer);
      retiredTimer = -1;
    }
    groups.values().forEach(m -> m.runtime.close());
    retired.forEach(m -> m.runtime.close());
    retired.clear();
  }

  private static Set<String> names(List<UpstreamConfig> backends) {
    Set<String> names = new LinkedHashSet<>();
    backends.forEach(b -> names.add(b.name()));
    return names;
  }

  /** Makes group {@code name} and puts it in place of any other of that name; completes when warmed up. */
  private Future<Void> make(String name, ProxyConfig group, Set<String> configured) {
    BackendPool pool = new BackendPool(group.backends(), group.policy(), group.health(), Clock.SYSTEM, random);
    ProxyRuntime runtime = new ProxyRuntime(vertx, group, pool, telemetry, ids,
      new RetryBudget(group.retries().budgetPercent(), group.retries().minRetriesPerSec(), Clock.SYSTEM));
    runtime.group = name;
    runtime.clientTls = clientTls;
    runtime.accessLog = accessLog;
    ActiveHealthChecker checker = new ActiveHealthChecker(vertx, group.health().active(), pool, runtime::upstreams);
    checker.start();
    groups.put(name, new Member(runtime, checker, configured));
    PolicyConfig policy = group.policy();
    if (policy.settings().type().warmup() && policy.get(PolicyType.WARMUP_PROBES) > 0) {
      return Warmup.run(vertx, runtime.upstreams(), pool, policy.get(PolicyType.WARMUP_PROBES),
        policy.get(PolicyType.WARMUP_PATH), group.upstreamTimeoutMs());
    }
    return Future.succeededFuture();
  }

  private void rebuildRoutes() {
    routes = new RouteTable<>(routeConfigs, this::get, get(ProxyConfig.DEFAULT_GROUP));
  }

  /** No new request reaches {@code m}; it is closed once its requests in flight are done. */
  private void retire(Member m) {
    m.checker.stop();
    retired.add(m);
    closeIdle();
    if (!retired.isEmpty() && retiredTimer < 0) {
      retiredTimer = vertx.setPeriodic(RETIRED_CHECK_MS, id -> closeIdle());
    }
  }

  private void closeIdle() {
    retired.removeIf(m -> {
      if (m.runtime.pool.idle()) {
        m.runtime.close();
        return true;
      }
      return false;
    });
    if (retired.isEmpty() && retiredTimer >= 0) {
      vertx.cancelTimer(retiredTimer);
      retiredTimer = -1;
    }
  }
}
