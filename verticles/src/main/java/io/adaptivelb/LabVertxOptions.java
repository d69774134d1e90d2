package io.adaptivelb;

import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * Vert.x options the lab runs with, shared by the launcher and the tests: the native epoll transport
 * when the platform has it, and Micrometer metrics with a Prometheus registry limited to what costs
 * nothing per request (JVM, pools, verticles). Per-request categories (HTTP and TCP client/server,
 * event bus) would time every request a second time: the lab's own meters ({@code lb_*}, fed from the
 * latency records off the hot path) already count and time every forwarded request.
 */
public final class LabVertxOptions {

  private LabVertxOptions() {
  }

  public static JsonObject metricsJson() {
    return new JsonObject()
      .put("enabled", true)
      .put("prometheusOptions", new JsonObject().put("enabled", true))
      .put("jvmMetricsEnabled", true)
      .put("disabledMetricsCategories", disabledCategories());
  }

  /** Category names as Micrometer matches them ("http.server", not the enum constant's name). */
  private static JsonArray disabledCategories() {
    JsonArray categories = new JsonArray();
    for (MetricsDomain domain : new MetricsDomain[]{MetricsDomain.EVENT_BUS, MetricsDomain.HTTP_SERVER,
      MetricsDomain.HTTP_CLIENT, MetricsDomain.NET_SERVER, MetricsDomain.NET_CLIENT, MetricsDomain.DATAGRAM_SOCKET}) {
      categories.add(domain.toCategory());
    }
    return categories;
  }

  public static VertxOptions create() {
    return new VertxOptions().setPreferNativeTransport(true)
      .setMetricsOptions(new MicrometerMetricsOptions(metricsJson()));
  }
}
