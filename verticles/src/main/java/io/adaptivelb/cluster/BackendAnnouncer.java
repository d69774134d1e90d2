package io.adaptivelb.cluster;

import io.adaptivelb.backend.BackendVerticle;
import io.adaptivelb.common.ProcessId;
import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deployed with the backends role, after the backends listen: announces each of this process's
 * simulated backends on the (clustered) bus every heartbeat, at once when a proxy says hello, and says
 * goodbye on a clean stop, after which it announces nothing more. A killed process just falls silent;
 * the proxies' expiry handles that.
 */
public final class BackendAnnouncer extends VerticleBase {

  /** After the goodbye, time for it to cross the cluster before the backends close their ports. */
  private static final long MAX_GOODBYE_GRACE_MS = 300;

  /** Runs of the backends role in this process: a role stopped and started again is a new instance. */
  private static final AtomicLong RUNS = new AtomicLong();

  private final ClusterConfig cluster;
  private final List<BackendConfig> configs;
  private final List<BackendVerticle> running;
  private final List<BackendAnnouncement> announcements = new ArrayList<>();
  private String instance;
  private MessageConsumer<JsonObject> hello;
  private long heartbeatTimer;
  private long seq;
  private boolean leaving;

  /**
   * @param running the started backends, for the ports they actually bound (a config may ask for port 0)
   */
  public BackendAnnouncer(ClusterConfig cluster, List<BackendConfig> configs, List<BackendVerticle> running) {
    this.cluster = cluster;
    this.configs = List.copyOf(configs);
    this.running = List.copyOf(running);
  }

  @Override
  public Future<?> start() {
    instance = ProcessId.VALUE + "-" + RUNS.incrementAndGet();
    for (BackendVerticle backend : running) {
      BackendConfig config = configs.stream().filter(c -> c.name().equals(backend.name())).findFirst().orElseThrow();
      announcements.add(new BackendAnnouncement(config.name(), url(config.advertisedHost(), backend.port()),
        profile(config), instance, 0, cluster.heartbeatMs()));
    }
    hello = vertx.eventBus().consumer(DiscoveryAddresses.HELLO, m -> announceAll());
    heartbeatTimer = vertx.setPeriodic(cluster.heartbeatMs(), id -> announceAll());
    return hello.completion().onSuccess(v -> announceAll());
  }

  /** Goodbye first, so proxies stop picking these backends before their ports close. */
  @Override
  public Future<?> stop() {
    leaving = true;
    vertx.cancelTimer(heartbeatTimer);
    vertx.eventBus().publish(DiscoveryAddresses.LEAVE,
      new BackendGoodbye(instance, announcements.stream().map(BackendAnnouncement::name).toList()).toJson());
    if (!vertx.isClustered()) {
      return hello.unregister(); // the proxies here are already stopped: nobody to wait for
    }
    Promise<Void> grace = Promise.promise();
    vertx.setTimer(Math.min(MAX_GOODBYE_GRACE_MS, cluster.heartbeatMs()), id -> grace.complete());
    return hello.unregister().transform(ar -> grace.future());
  }

  private void announceAll() {
    if (leaving) {
      return; // a hello answered after the goodbye would bring back backends about to close
    }
    seq++;
    for (BackendAnnouncement a : announcements) {
      vertx.eventBus().publish(DiscoveryAddresses.ANNOUNCE, a.withSeq(seq).toJson());
    }
  }

  static String url(String host, int port) {
    boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
    return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
  }

  private static JsonObject profile(BackendConfig c) {
    return new JsonObject().put("latency", c.latency().toJson()).put("capacity", c.capacity())
      .put("errorRate", c.errorRate()).put("bodyBytes", c.bodyBytes());
  }
}
