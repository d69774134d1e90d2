package io.adaptivelb.config;

import java.util.Set;

/**
 * The metrics role.
 *
 * @param csv       path of the per-request log; empty disables it
 * @param windowSec span of the rolling statistics in {@code /stats}
 */
public record MetricsConfig(String csv, int windowSec) {

  static MetricsConfig read(StrictJson json) {
    json.allowOnly(Set.of("csv", "windowSec"));
    return new MetricsConfig(json.string("csv", "proxy_log.csv"), json.integer("windowSec", 10, 1, 3600));
  }

  public boolean csvEnabled() {
    return csv != null && !csv.isBlank();
  }
}
