package io.adaptivelb.cluster;

import io.adaptivelb.common.Clock;
import io.adaptivelb.config.ClusterConfig;
import io.adaptivelb.config.UpstreamConfig;
import io.adaptivelb.control.ControlAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Deployed with the proxy role when {@code cluster.discovery} is on, after the proxy instances: turns
 * backend announcements into the proxies' own runtime commands ({@code add}, {@code remove}: drains) on
 * {@link ControlAddresses#PROXY}. The commands stay in this process (local-only delivery): every proxy
 * process runs its own discovery, and a command published cluster-wide would reach the others twice.
 */
public final class BackendDiscovery extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(BackendDiscovery.class.getName());
  private static final DeliveryOptions THIS_PROCESS = new DeliveryOptions().setLocalOnly(true);

  private final ClusterConfig cluster;
  private final Set<String> staticNames;
  private BackendRegistry registry;
  private MessageConsumer<JsonObject> announces;
  private MessageConsumer<JsonObject> leaves;

  /** @param staticBackends the proxy's configured backends, which discovery never touches */
  public BackendDiscovery(ClusterConfig cluster, List<UpstreamConfig> staticBackends) {
    this.cluster = cluster;
    this.staticNames = staticBackends.stream().map(UpstreamConfig::name).collect(Collectors.toSet());
  }

  @Override
  public Future<?> start() {
    registry = new BackendRegistry(staticNames, cluster.missedHeartbeats(), Clock.SYSTEM);
    announces = vertx.eventBus().consumer(DiscoveryAddresses.ANNOUNCE,
      m -> read(m.body(), BackendAnnouncement::fromJson, "backend announcement", this::announced));
    leaves = vertx.eventBus().consumer(DiscoveryAddresses.LEAVE,
      m -> read(m.body(), BackendGoodbye::fromJson, "backend goodbye", this::left));
    // Checking twice per own heartbeat bounds the drop at missedHeartbeats x period + half a period.
    vertx.setPeriodic(Math.max(25, cluster.heartbeatMs() / 2), id -> registry.expire().forEach(name -> drop(name, "silent")));
    return Future.all(announces.completion(), leaves.completion())
      // Ask every backend to announce now rather than at its next heartbeat.
      .onSuccess(v -> vertx.eventBus().publish(DiscoveryAddresses.HELLO, new JsonObject()));
  }

  @Override
  public Future<?> stop() {
    return Future.join(announces.unregister(), leaves.unregister());
  }

  /** A message that does not parse is logged and dropped: one bad sender must not stop discovery. */
  private static <T> void read(JsonObject body, Function<JsonObject, T> parse, String what, Consumer<T> then) {
    T message;
    try {
      message = parse.apply(body);
    } catch (RuntimeException e) {
      LOG.warning("ignored " + what + ": " + e.getMessage());
      return;
    }
    then.accept(message);
  }

  private void announced(BackendAnnouncement a) {
    switch (registry.seen(a)) {
      case ADDED -> add(a);
      case MOVED -> {
        control(new JsonObject().put("op", "remove").put("name", a.name()));
        add(a);
      }
      case NONE, IGNORED -> {
        // already routed to, or a statically configured name that discovery must not touch
      }
    }
  }

  private void left(BackendGoodbye goodbye) {
    registry.left(goodbye).forEach(name -> drop(name, "left"));
  }

  private void add(BackendAnnouncement a) {
    LOG.info("discovered backend " + a.name() + " at " + a.url());
    control(new JsonObject().put("op", "add").put("backend", new JsonObject().put("name", a.name()).put("url", a.url())));
  }

  private void drop(String name, String why) {
    LOG.info("dropping backend " + name + " (" + why + ")");
    control(new JsonObject().put("op", "remove").put("name", name));
  }

  private void control(JsonObject command) {
    vertx.eventBus().publish(ControlAddresses.PROXY, command, THIS_PROCESS);
  }
}
