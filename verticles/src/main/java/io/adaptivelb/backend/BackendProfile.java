package io.adaptivelb.backend;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.LatencySpec;
import io.adaptivelb.config.PhaseConfig;
import io.vertx.core.json.JsonObject;

/**
 * How a simulated backend behaves right now; phases and the admin API replace it with a changed copy.
 *
 * @param latency drawn from {@code latencySpec}, made once per change of it
 */
record BackendProfile(LatencySpec latencySpec, LatencyDistribution latency, int capacity, double errorRate) {

  BackendProfile(BackendConfig config) {
    this(config.latency(), LatencyDistribution.of(config.latency()), config.capacity(), config.errorRate());
  }

  /** This profile with what the phase changes; the rest kept. */
  BackendProfile with(PhaseConfig phase) {
    return new BackendProfile(
      phase.latency() != null ? phase.latency() : latencySpec,
      phase.latency() != null ? LatencyDistribution.of(phase.latency()) : latency,
      phase.capacity() != null ? phase.capacity() : capacity,
      phase.errorRate() != null ? phase.errorRate() : errorRate);
  }

  JsonObject toJson() {
    return new JsonObject().put("latency", latencySpec.toJson()).put("capacity", capacity).put("errorRate", errorRate);
  }
}
