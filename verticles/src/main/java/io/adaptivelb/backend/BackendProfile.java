package io.adaptivelb.backend;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.LatencySpec;
import io.adaptivelb.config.PhaseConfig;
import io.vertx.core.json.JsonObject;

/** How a simulated backend behaves right now; phases and the admin API replace parts of it. */
final class BackendProfile {

  private LatencySpec latencySpec;
  private LatencyDistribution latency;
  private int capacity;
  private double errorRate;

  BackendProfile(BackendConfig config) {
    setLatency(config.latency());
    this.capacity = config.capacity();
    this.errorRate = config.errorRate();
  }

  /** Applies what the phase changes and keeps the rest. */
  void apply(PhaseConfig phase) {
    if (phase.latency() != null) {
      setLatency(phase.latency());
    }
    if (phase.capacity() != null) {
      capacity = phase.capacity();
    }
    if (phase.errorRate() != null) {
      errorRate = phase.errorRate();
    }
  }

  private void setLatency(LatencySpec spec) {
    this.latencySpec = spec;
    this.latency = LatencyDistribution.of(spec);
  }

  LatencyDistribution latency() {
    return latency;
  }

  int capacity() {
    return capacity;
  }

  double errorRate() {
    return errorRate;
  }

  JsonObject toJson() {
    return new JsonObject().put("latency", latencySpec.toJson()).put("capacity", capacity).put("errorRate", errorRate);
  }
}
