package io.adaptivelb;

import io.adaptivelb.backend.BackendVerticle;
import io.adaptivelb.cluster.BackendAnnouncer;
import io.adaptivelb.cluster.BackendDiscovery;
import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.LabConfig.Role;
import io.adaptivelb.dashboard.DashboardVerticle;
import io.adaptivelb.metrics.MetricsVerticle;
import io.adaptivelb.proxy.ProxyVerticle;
import io.adaptivelb.telemetry.RecordBatchCodec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The roles a process runs, deployed in dependency order (backends, metrics, dashboard, proxies:
 * so the proxies' first records and warm-up probes find everything in place) and stopped in the
 * order that loses nothing (proxies first, so their last records reach the metrics role, which
 * then writes its CSV out).
 */
public final class Lab {

  private final Vertx vertx;
  private final LabConfig config;
  private final AtomicReference<LabConfig> running;
  private final List<BackendVerticle> backends = new CopyOnWriteArrayList<>();
  private final List<ProxyVerticle> proxies = new CopyOnWriteArrayList<>();
  private final List<String> backendIds = new ArrayList<>();
  private String metricsId;
  private String dashboardId;
  private String proxyId;
  private String announcerId;
  private String discoveryId;
  private DashboardVerticle dashboard;
  private Future<Void> stopped;

  public Lab(Vertx vertx, LabConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.running = new AtomicReference<>(config);
  }

  public Future<Void> start() {
    RecordBatchCodec.install(vertx);
    Future<Void> chain = Future.succeededFuture();
    if (config.runs(Role.BACKENDS)) {
      for (int i = 0; i < config.backends().size(); i++) {
        BackendConfig backend = config.backends().get(i);
        String key = "backends[" + i + "].port";
        chain = chain.compose(v -> {
          BackendVerticle verticle = new BackendVerticle(backend);
          return deploy(verticle, key, backend.host(), backend.port())
            .onSuccess(id -> {
              backendIds.add(id);
              backends.add(verticle);
            }).mapEmpty();
        });
      }
      // Tells the cluster where these backends are (harmless without one: nobody listens).
      chain = chain.compose(v -> vertx.deployVerticle(new BackendAnnouncer(config.cluster(), config.backends(), backends))
        .onSuccess(id -> announcerId = id).mapEmpty());
    }
    if (config.runs(Role.METRICS)) {
      chain = chain.compose(v -> vertx.deployVerticle(new MetricsVerticle(config.metrics()))
        .recover(err -> Future.failedFuture(new ConfigException("metrics.csv", err.getMessage())))
        .onSuccess(id -> metricsId = id).mapEmpty());
    }
    if (config.runs(Role.DASHBOARD)) {
      chain = chain.compose(v -> {
        dashboard = new DashboardVerticle(running);
        return deploy(dashboard, "dashboard.port", config.dashboard().host(), config.dashboard().port())
          .onSuccess(id -> dashboardId = id).mapEmpty();
      });
    }
    if (config.runs(Role.PROXY)) {
      chain = chain.compose(v -> vertx.deployVerticle(() -> {
            ProxyVerticle proxy = new ProxyVerticle(config.proxy());
            proxies.add(proxy);
            return proxy;
          }, new DeploymentOptions().setInstances(config.proxy().instances()))
        .recover(err -> Future.failedFuture(bindProblem(err, "proxy.port", config.proxy().host(), config.proxy().port())))
        .onSuccess(id -> proxyId = id).mapEmpty());
      if (config.cluster().discovery()) {
        // After the proxies, so their control consumers hear the first add commands.
        chain = chain.compose(v -> vertx.deployVerticle(new BackendDiscovery(config.cluster(), config.proxy().backends()))
          .onSuccess(id -> discoveryId = id).mapEmpty());
      }
    }
    return chain.recover(err -> stop().transform(ignored -> Future.failedFuture(err)));
  }

  /**
   * Idempotent: proxies, then metrics (which flushes the CSV), then dashboard and backends; the
   * backends say goodbye to the cluster before their ports close.
   */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      stopped = undeploy(discoveryId)
        .transform(ar -> undeploy(proxyId))
        .transform(ar -> undeploy(metricsId))
        .transform(ar -> undeploy(dashboardId))
        .transform(ar -> undeploy(announcerId))
        .transform(ar -> Future.join(backendIds.stream().map(this::undeploy).toList()))
        .mapEmpty();
    }
    return stopped;
  }

  public LabConfig config() {
    return config;
  }

  /** The config as it runs now: the start config with the changes the admin API and reloads made since. */
  public AtomicReference<LabConfig> running() {
    return running;
  }

  /** Ports the simulated backends listen on, in config order (a config may ask for port 0). */
  public List<Integer> backendPorts() {
    return backends.stream().map(BackendVerticle::port).toList();
  }

  /** Port the proxy listens on (useful when the config asked for an ephemeral port 0). */
  public int proxyPort() {
    return proxies.get(0).port();
  }

  public int dashboardPort() {
    return dashboard.port();
  }

  private Future<String> deploy(io.vertx.core.Deployable verticle, String key, String host, int port) {
    return vertx.deployVerticle(verticle).recover(err -> Future.failedFuture(bindProblem(err, key, host, port)));
  }

  private static Throwable bindProblem(Throwable err, String key, String host, int port) {
    Throwable root = err;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    // NIO throws BindException; Netty's native epoll transport a NativeIoException with the same errno text.
    if (root instanceof BindException || String.valueOf(root.getMessage()).contains("Address already in use")) {
      return new ConfigException(key, "cannot listen on " + host + ":" + port + " (" + root.getMessage() + ")");
    }
    return err;
  }

  private Future<Void> undeploy(String id) {
    if (id == null || !vertx.deploymentIDs().contains(id)) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(id);
  }
}
