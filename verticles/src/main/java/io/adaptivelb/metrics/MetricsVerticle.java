package io.adaptivelb.metrics;

import io.adaptivelb.config.MetricsConfig;
import io.adaptivelb.control.ControlAddresses;
import io.adaptivelb.telemetry.Addresses;
import io.adaptivelb.telemetry.LatencyRecord;
import io.adaptivelb.telemetry.RecordBatch;
import io.adaptivelb.telemetry.RecordBatchCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Consumes every latency record: rolling per-backend statistics, the CSV log and Prometheus meters.
 * Answers {@code /stats} snapshots over the bus, so the HTTP side can live in any process.
 */
public final class MetricsVerticle extends VerticleBase {

  private static final long STATE_TTL_MS = 5_000;

  private final MetricsConfig config;
  private final Map<String, JsonObject> policyStates = new HashMap<>();
  private final Map<String, Long> policySeenAt = new HashMap<>();
  private final Map<String, JsonObject> backendCounters = new HashMap<>();
  private final Map<String, Long> backendSeenAt = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private RollingStats stats;
  private RequestMeters meters;
  private CsvLog csv;
  private long startedMs;

  public MetricsVerticle(MetricsConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    RecordBatchCodec.install(vertx);
    startedMs = System.currentTimeMillis();
    stats = new RollingStats(config.windowSec(), startedMs / 1000);
    meters = new RequestMeters(PrometheusRegistry.get());
    Future<Void> csvReady = config.csvEnabled()
      ? CsvLog.open(vertx, config.csv(), 250).onSuccess(log -> csv = log).mapEmpty()
      : Future.succeededFuture();
    return csvReady.compose(v -> {
      consumers.add(vertx.eventBus().<RecordBatch>consumer(Addresses.LATENCY, m -> accept(m.body())));
      consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.POLICY_STATE, m -> {
        String proxy = m.body().getString("proxy");
        policyStates.put(proxy, m.body());
        policySeenAt.put(proxy, System.currentTimeMillis());
      }));
      consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.BACKEND_COUNTERS, m -> {
        String name = m.body().getString("name");
        backendCounters.put(name, m.body());
        backendSeenAt.put(name, System.currentTimeMillis());
      }));
      consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.STATS, m -> m.reply(snapshot())));
      // Local: only this process's proxies ask, and the cluster need not learn of it.
      consumers.add(vertx.eventBus().<String>localConsumer(Addresses.LATENCY_DRAINED, m -> m.reply(csv == null ? 0L : csv.rows())));
      consumers.add(vertx.eventBus().<JsonObject>consumer(ControlAddresses.METRICS, m -> {
        if ("reset".equals(m.body().getString("op"))) {
          stats.reset(System.currentTimeMillis() / 1000);
        } else if ("reopen".equals(m.body().getString("op")) && csv != null) {
          csv.reopen();
        }
      }));
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    });
  }

  @Override
  public Future<?> stop() {
    // Unregister first so nothing arrives after the last write, then write what is left.
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
      .transform(ar -> csv == null ? Future.succeededFuture() : csv.close());
  }

  private void accept(RecordBatch batch) {
    for (LatencyRecord record : batch.records()) {
      stats.add(record);
      meters.record(record);
      if (csv != null && !record.retried()) {
        csv.append(record);
      }
    }
  }

  private static void expire(Map<String, Long> seenAt, Map<String, JsonObject> values, long now) {
    seenAt.entrySet().removeIf(e -> {
      boolean stale = now - e.getValue() > STATE_TTL_MS;
      if (stale) {
        values.remove(e.getKey());
      }
      return stale;
    });
  }

  public JsonObject snapshot() {
    long now = System.currentTimeMillis();
    // A proxy or backend that stopped publishing (stopped, killed, left the cluster) leaves the snapshot.
    expire(policySeenAt, policyStates, now);
    expire(backendSeenAt, backendCounters, now);
    return StatsSnapshot.build(stats, policyStates, backendCounters, now, startedMs);
  }
}
