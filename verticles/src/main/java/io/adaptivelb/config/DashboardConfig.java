package io.adaptivelb.config;

import java.util.Set;

/** The HTTP server for the dashboard page, {@code /stats} and {@code /metrics}. */
public record DashboardConfig(String host, int port) {

  static DashboardConfig read(StrictJson json) {
    json.allowOnly(Set.of("host", "port"));
    return new DashboardConfig(json.string("host", "0.0.0.0"), json.integer("port", 8081, 0, 65535));
  }
}
