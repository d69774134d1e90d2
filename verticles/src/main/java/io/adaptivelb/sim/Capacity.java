package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.ConfigException;

import java.util.List;

/** The most requests per second a fleet can serve at the start: the sum of capacity / mean service time. */
final class Capacity {

  private Capacity() {
  }

  static double of(List<BackendConfig> fleet) {
    double total = 0;
    for (BackendConfig b : fleet) {
      if (b.capacity() <= 0) {
        throw new ConfigException("--utilization", "backend " + b.name() + " has unbounded capacity: give --rate instead");
      }
      total += b.capacity() * 1000.0 / b.latency().meanMs();
    }
    return total;
  }
}
