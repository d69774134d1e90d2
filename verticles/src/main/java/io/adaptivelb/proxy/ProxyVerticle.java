package io.adaptivelb.proxy;

import io.adaptivelb.accesslog.AccessLog;
import io.adaptivelb.accesslog.AccessLogs;
import io.adaptivelb.common.ProcessId;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.control.ControlAddresses;
import io.adaptivelb.internals.VertxInternals;
import io.adaptivelb.telemetry.Addresses;
import io.adaptivelb.telemetry.LatencyRecord;
import io.adaptivelb.telemetry.RecordBatch;
import io.adaptivelb.telemetry.RecordBatchCodec;
import io.adaptivelb.telemetry.TelemetryPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One proxy instance (several share the port, one per event loop). It owns its upstream groups, each
 * with a backend pool and routing policy, and the routes that choose the group of each request
 * ({@link UpstreamGroups}); it learns from its own requests at once and from the other instances' records
 * through the bus, and applies runtime changes published on {@link ControlAddresses#PROXY}.
 */
public final class ProxyVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(ProxyVerticle.class.getName());
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final long STATE_PERIOD_MS = 500;
  /** The control operation (sent by the admin reload) that re-reads the TLS certificate files. */
  private static final String TLS_RELOAD = "tls-reload";
  // Bounds a stop when the metrics role is busy or gone: records are then lost rather than the stop hung.
  private static final long DRAIN_TIMEOUT_MS = 5_000;

  private final ProxyConfig config;
  private final String instanceId;
  private UpstreamGroups groups;
  private TelemetryPublisher telemetry;
  private AccessLog accessLog;
  private HttpServer server;
  /** Set when HTTP/2 is on for a plain port: where connections opening with the h2 preface go. */
  private VertxInternals.H2cHandover h2c;

  public ProxyVerticle(ProxyConfig config) {
    this.config = config;
    this.instanceId = "proxy-" + ProcessId.VALUE + "-" + INSTANCES.incrementAndGet();
  }

  @Override
  public Future<?> start() {
    RecordBatchCodec.install(vertx);
    telemetry = new TelemetryPublisher(vertx, instanceId, 256, 50);
    RequestIds ids = new RequestIds(instanceId.substring("proxy-".length()));
    HttpServerOptions serverOptions = ClientTls.apply(ClientEdge.apply(new HttpServerOptions().setHost(config.host())
        .setPort(config.port())
        .setTcpNoDelay(true)
        // WebSockets are tunnelled as raw bytes (Tunnel), never terminated here: without these Vert.x puts a
        // WebSocket extension handler in every client connection's pipeline, which inspects every request and response.
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false),
      config.limits()), config.protocols());
    groups = new UpstreamGroups(vertx, config, telemetry, ids, serverOptions.isSsl());
    Future<Void> warm = groups.start();
    MessageConsumer<RecordBatch> peers = vertx.eventBus().consumer(Addresses.LATENCY, m -> learnFromPeers(m.body()));
    MessageConsumer<JsonObject> control = vertx.eventBus().consumer(ControlAddresses.PROXY, m -> control(m.body()));
    vertx.setPeriodic(STATE_PERIOD_MS, id -> publishState());
    AtomicInteger clientConnections = ClientEdge.openConnections(vertx, config.host(), config.port());
    Handler<HttpServerRequest> routed = request -> {
      RouteTable<ProxyRuntime> routes = groups.routes(); // a reload may change them between two requests
      if (routes.isEmpty()) {
        new ProxyExchange(routes.fallback(), request, request.uri()).run();
      } else {
        RouteTable.Match<ProxyRuntime> to = routes.match(request.getHeader(HttpHeaders.HOST), request.uri());
        new ProxyExchange(to.group(), request, to.target()).run();
      }
    };
    // An HTTP/2 stream never passed the HTTP/1 decoder, which refuses an oversized declared body up front.
    Handler<HttpServerRequest> requests = request -> {
      if (request.version() != HttpVersion.HTTP_2 || !Http2BodyLimits.refusedAtHead(request, config.limits())) {
        routed.handle(request);
      }
    };
    Handler<HttpServerRequest> refused = RejectionResponder::answer;
    // strict parsing and client limits: refused requests never become a ProxyExchange
    Handler<HttpConnection> connections = conn -> ClientEdge.install(conn, serverOptions, config.limits(),
      clientConnections, h2c);
    server = vertx.createHttpServer(serverOptions).connectionHandler(connections).invalidRequestHandler(refused)
      .requestHandler(requests);
    if (config.protocols().http2() && !serverOptions.isSsl()) {
      h2c = VertxInternals.h2cHandover(server, serverOptions, requests, refused, connections);
    }
    Future<Void> logOpen = config.accessLog().enabled()
      ? vertx.executeBlocking(() -> AccessLogs.acquire(config.accessLog())).onSuccess(log -> {
        accessLog = log;
        groups.accessLog(log);
      }).mapEmpty()
      : Future.succeededFuture();
    return Future.all(peers.completion(), control.completion(), logOpen).compose(v -> warm)
      .compose(v -> server.listen())
      // Known to every view (and to the admin API's checks) from the start, not half a period later.
      .onSuccess(listening -> publishState());
  }

  /**
   * Graceful: stop accepting, let requests in flight finish (bounded; tunnels get the same time, then
   * are closed), then hand over the records. The
   * publisher is closed before the upstream clients: exchanges they cut, and answers whose last write
   * completes only now, still log their rows, published at once.
   */
  @Override
  public Future<?> stop() {
    groups.stopChecks();
    return server.shutdown(config.shutdownTimeoutSec(), TimeUnit.SECONDS)
      .andThen(ar -> groups.endTunnels())
      .andThen(ar -> telemetry.close())
      .andThen(ar -> groups.close())
      .transform(ar -> recordsDelivered())
      .transform(ar -> accessLog == null ? Future.succeededFuture()
        : Future.fromCompletionStage(AccessLogs.release(accessLog), vertx.getOrCreateContext()));
  }

  /** Waits until the metrics role has consumed this instance's records; at once when none runs here. */
  private Future<Void> recordsDelivered() {
    return vertx.eventBus().request(Addresses.LATENCY_DRAINED, instanceId,
        new DeliveryOptions().setSendTimeout(DRAIN_TIMEOUT_MS).setLocalOnly(true))
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }

  public int port() {
    return server.actualPort();
  }

  /** A command for one group ({@code "group"}; the default group when absent), or for the routes. */
  private void control(JsonObject command) {
    if (TLS_RELOAD.equals(command.getString("op"))) {
      reloadCertificates();
      return;
    }
    try {
      ProxyControl.apply(config, groups, command);
      publishState(); // let every view see the change now, not at the next tick
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ignored control command " + command.encode() + ": " + e.getMessage());
    }
  }

  /**
   * Reads the certificate and key files again (renewed certificates) and serves them to new
   * connections; connections already open keep theirs. A file that no longer parses leaves the
   * running certificates in place.
   */
  private void reloadCertificates() {
    if (config.protocols().tls() == null) {
      return;
    }
    server.updateSSLOptions(ClientTls.sslOptions(config.protocols().tls()), true).onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.WARNING, "certificates not reloaded, the running ones stay: " + ar.cause().getMessage());
      } else {
        LOG.info("certificates reloaded from " + config.protocols().tls().cert());
      }
    });
  }

  private void learnFromPeers(RecordBatch batch) {
    if (batch.source().equals(instanceId)) {
      return; // already learnt on the hot path
    }
    for (LatencyRecord record : batch.records()) {
      ProxyRuntime runtime = groups.get(record.group());
      if (runtime != null) {
        runtime.pool.observe(record);
      }
    }
  }

  /** One state message per group; a named group's carries the instance id with "/group" appended. */
  private void publishState() {
    groups.forEach((name, runtime) -> vertx.eventBus().publish(Addresses.POLICY_STATE, new JsonObject()
      .put("proxy", name.equals(ProxyConfig.DEFAULT_GROUP) ? instanceId : instanceId + "/" + name)
      .put("group", name)
      .put("policy", runtime.pool.policyConfig().type())
      .put("policyConfig", runtime.pool.policyConfig().toJson())
      .put("connection", runtime.mode().id)
      .put("nextPick", runtime.pool.nextPick())
      .put("backends", runtime.pool.describe())));
  }
}
