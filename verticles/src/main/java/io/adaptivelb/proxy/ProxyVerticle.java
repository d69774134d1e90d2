package io.adaptivelb.proxy;

import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.policy.Clock;
import io.adaptivelb.policy.Policies;
import io.adaptivelb.policy.PolicyState;
import io.adaptivelb.policy.RoutingPolicy;
import io.adaptivelb.telemetry.Addresses;
import io.adaptivelb.telemetry.LatencyRecord;
import io.adaptivelb.telemetry.RecordBatch;
import io.adaptivelb.telemetry.RecordBatchCodec;
import io.adaptivelb.telemetry.TelemetryPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One proxy instance (several share the port, one per event loop). It owns its routing policy,
 * learns from its own requests at once and from the other instances' records through the bus.
 */
public final class ProxyVerticle extends VerticleBase {

  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final long POLICY_STATE_PERIOD_MS = 500;

  private final ProxyConfig config;
  private final String instanceId;
  private RoutingPolicy policy;
  private HttpClient client;
  private HttpServer server;
  private TelemetryPublisher telemetry;
  private MessageConsumer<RecordBatch> peers;
  private Map<String, Integer> indexByName;

  public ProxyVerticle(ProxyConfig config) {
    this.config = config;
    this.instanceId = "proxy-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
  }

  @Override
  public Future<?> start() {
    RecordBatchCodec.install(vertx);
    List<Upstream> upstreams = config.backends().stream().map(Upstream::of).toList();
    indexByName = new HashMap<>();
    for (int i = 0; i < upstreams.size(); i++) {
      indexByName.put(upstreams.get(i).name(), i);
    }
    List<String> names = upstreams.stream().map(Upstream::name).toList();
    policy = Policies.create(config.policy(), names, Clock.SYSTEM, new SplittableRandom());
    client = UpstreamClients.create(vertx, config);
    telemetry = new TelemetryPublisher(vertx, instanceId, 256, 50);
    Forwarding forwarding = new Forwarding(config, client, upstreams, policy, telemetry,
      new RequestIds(instanceId.substring("proxy-".length())));
    peers = vertx.eventBus().<RecordBatch>consumer(Addresses.LATENCY, m -> learnFromPeers(m.body()));
    vertx.setPeriodic(POLICY_STATE_PERIOD_MS, id -> vertx.eventBus().publish(Addresses.POLICY_STATE, stateJson()));
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
        .setTcpNoDelay(true))
      .requestHandler(request -> new ProxyExchange(forwarding, request).run());
    Future<Void> warm = PolicyConfig.EWMA.equals(config.policy().type()) && config.policy().warmupProbes() > 0
      ? Warmup.run(client, upstreams, policy, config.policy().warmupProbes(), config.policy().warmupPath(),
          config.upstreamTimeoutMs())
      : Future.succeededFuture();
    return peers.completion().compose(v -> warm).compose(v -> server.listen());
  }

  @Override
  public Future<?> stop() {
    return server.close()
      .andThen(ar -> telemetry.flush())
      .compose(v -> client.close());
  }

  public int port() {
    return server.actualPort();
  }

  public String instanceId() {
    return instanceId;
  }

  private void learnFromPeers(RecordBatch batch) {
    if (batch.source().equals(instanceId)) {
      return; // already learnt on the hot path
    }
    for (LatencyRecord record : batch.records()) {
      Integer index = indexByName.get(record.backend());
      if (index != null && record.status() != ProxyExchange.CLIENT_CLOSED) {
        policy.observe(index, record.upstreamMs(), record.failed());
      }
    }
  }

  private JsonObject stateJson() {
    PolicyState state = policy.state();
    JsonArray backends = new JsonArray();
    for (Map<String, Object> row : state.backends()) {
      JsonObject json = new JsonObject();
      row.forEach((k, v) -> json.put(k, jsonValue(v)));
      backends.add(json);
    }
    return new JsonObject()
      .put("proxy", instanceId)
      .put("policy", state.policy())
      .put("connection", config.connection().id)
      .put("nextPick", state.nextPick())
      .put("backends", backends);
  }

  /** JSON has no infinity; a cold SMA score is shown as the string "Infinity" (JavaScript's Number() reads it). */
  private static Object jsonValue(Object v) {
    if (v instanceof Double d && d.isInfinite()) {
      return "Infinity";
    }
    if (v instanceof List<?> list) {
      return new JsonArray(List.copyOf(list));
    }
    return v;
  }
}
