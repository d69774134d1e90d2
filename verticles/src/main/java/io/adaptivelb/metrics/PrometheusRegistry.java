package io.adaptivelb.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The registry {@code /metrics} scrapes: Vert.x's own Prometheus registry when Vert.x metrics are on
 * (so HTTP, pool and JVM meters come along), otherwise one registry for the whole process.
 */
public final class PrometheusRegistry {

  private static final PrometheusMeterRegistry FALLBACK = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private PrometheusRegistry() {
  }

  public static PrometheusMeterRegistry get() {
    if (BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry vertxRegistry) {
      return vertxRegistry;
    }
    return FALLBACK;
  }
}
