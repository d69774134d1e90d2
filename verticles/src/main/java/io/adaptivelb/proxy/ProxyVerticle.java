package io.adaptivelb.proxy;

import io.adaptivelb.accesslog.AccessLogs;
import io.adaptivelb.common.Clock;
import io.adaptivelb.common.ProcessId;
import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.control.ControlAddresses;
import io.adaptivelb.health.RetryBudget;
import io.adaptivelb.telemetry.Addresses;
import io.adaptivelb.telemetry.LatencyRecord;
import io.adaptivelb.telemetry.RecordBatch;
import io.adaptivelb.telemetry.RecordBatchCodec;
import io.adaptivelb.telemetry.TelemetryPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One proxy instance (several share the port, one per event loop). It owns its backend pool and
 * routing policy, learns from its own requests at once and from the other instances' records through
 * the bus, and applies runtime changes published on {@link ControlAddresses#PROXY}.
 */
public final class ProxyVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(ProxyVerticle.class.getName());
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final long STATE_PERIOD_MS = 500;

  private final ProxyConfig config;
  private final String instanceId;
  private ProxyRuntime runtime;
  private HttpServer server;
  private ActiveHealthChecker checker;

  public ProxyVerticle(ProxyConfig config) {
    this.config = config;
    this.instanceId = "proxy-" + ProcessId.VALUE + "-" + INSTANCES.incrementAndGet();
  }

  @Override
  public Future<?> start() {
    RecordBatchCodec.install(vertx);
    SplittableRandom random = new SplittableRandom();
    BackendPool pool = new BackendPool(config.backends(), config.policy(), config.health(), Clock.SYSTEM, random);
    runtime = new ProxyRuntime(vertx, config, pool, new TelemetryPublisher(vertx, instanceId, 256, 50),
      new RequestIds(instanceId.substring("proxy-".length())),
      new RetryBudget(config.retries().budgetPercent(), config.retries().minRetriesPerSec(), Clock.SYSTEM));
    MessageConsumer<RecordBatch> peers = vertx.eventBus().consumer(Addresses.LATENCY, m -> learnFromPeers(m.body()));
    MessageConsumer<JsonObject> control = vertx.eventBus().consumer(ControlAddresses.PROXY, m -> control(m.body()));
    vertx.setPeriodic(STATE_PERIOD_MS, id -> publishState());
    checker = new ActiveHealthChecker(vertx, config.health().active(), pool, runtime::client);
    checker.start();
    HttpServerOptions serverOptions = ClientEdge.apply(new HttpServerOptions().setHost(config.host()).setPort(config.port())
        .setTcpNoDelay(true)
        // The proxy forwards HTTP only (Upgrade is hop-by-hop): without these Vert.x puts a WebSocket
        // extension handler in every client connection's pipeline, which inspects every request and response.
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false),
      config.limits());
    runtime.clientTls = serverOptions.isSsl();
    AtomicInteger clientConnections = ClientEdge.openConnections(vertx, config.host(), config.port());
    server = vertx.createHttpServer(serverOptions)
      // strict parsing and client limits (#7): refused requests never become a ProxyExchange
      .connectionHandler(conn -> ClientEdge.install(conn, serverOptions, config.limits(), clientConnections))
      .invalidRequestHandler(RejectionResponder::answer)
      .requestHandler(request -> new ProxyExchange(runtime, request).run());
    PolicyConfig policy = config.policy();
    Future<Void> warm = PolicyConfig.EWMA.equals(policy.type()) && policy.warmupProbes() > 0
      ? Warmup.run(runtime.client(), pool, policy.warmupProbes(), policy.warmupPath(), config.upstreamTimeoutMs())
      : Future.succeededFuture();
    Future<Void> logOpen = config.accessLog().enabled()
      ? vertx.executeBlocking(() -> AccessLogs.acquire(config.accessLog())).onSuccess(log -> runtime.accessLog = log).mapEmpty()
      : Future.succeededFuture();
    return Future.all(peers.completion(), control.completion(), logOpen).compose(v -> warm).compose(v -> server.listen());
  }

  /** Graceful: stop accepting, let requests in flight finish (bounded), then hand over the last records. */
  @Override
  public Future<?> stop() {
    checker.stop();
    return server.shutdown(config.shutdownTimeoutSec(), TimeUnit.SECONDS)
      .andThen(ar -> runtime.telemetry.flush())
      .andThen(ar -> runtime.close())
      .transform(ar -> runtime.accessLog == null ? Future.succeededFuture()
        : Future.fromCompletionStage(AccessLogs.release(runtime.accessLog), vertx.getOrCreateContext()));
  }

  public int port() {
    return server.actualPort();
  }

  public String instanceId() {
    return instanceId;
  }

  private void control(JsonObject command) {
    try {
      ProxyControl.apply(runtime, command);
      publishState(); // let every view see the change now, not at the next tick
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ignored control command " + command.encode() + ": " + e.getMessage());
    }
  }

  private void learnFromPeers(RecordBatch batch) {
    if (batch.source().equals(instanceId)) {
      return; // already learnt on the hot path
    }
    List<LatencyRecord> records = batch.records();
    for (LatencyRecord record : records) {
      if (record.status() != ProxyExchange.CLIENT_CLOSED && !"-".equals(record.backend())) {
        runtime.pool.observe(record.backend(), record.load(), record.upstreamMs(), record.failed());
      }
    }
  }

  private void publishState() {
    vertx.eventBus().publish(Addresses.POLICY_STATE, new JsonObject()
      .put("proxy", instanceId)
      .put("policy", runtime.pool.policyConfig().type())
      .put("policyConfig", runtime.pool.policyConfig().toJson())
      .put("connection", runtime.mode().id)
      .put("nextPick", runtime.pool.nextPick())
      .put("backends", runtime.pool.describe()));
  }
}
