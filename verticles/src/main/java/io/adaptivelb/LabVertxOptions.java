package io.adaptivelb;

import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * Vert.x options the lab runs with, shared by the launcher and the tests: Micrometer metrics with a
 * Prometheus registry, minus the event-bus category (it costs a lot at one message per few ms per
 * instance and tells nothing the lab's own meters don't).
 */
public final class LabVertxOptions {

  private LabVertxOptions() {
  }

  public static JsonObject metricsJson() {
    return new JsonObject()
      .put("enabled", true)
      .put("prometheusOptions", new JsonObject().put("enabled", true))
      .put("jvmMetricsEnabled", true)
      .put("disabledMetricsCategories", new JsonArray().add("EVENT_BUS"));
  }

  public static VertxOptions create() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions(metricsJson()));
  }
}
