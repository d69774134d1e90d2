package io.adaptivelb.config;

import java.util.Set;

/** A change of a backend's behaviour {@code atSec} seconds after it started; absent fields keep their value. */
public record PhaseConfig(double atSec, LatencySpec latency, Integer capacity, Double errorRate) {

  static PhaseConfig read(StrictJson json) {
    json.allowOnly(Set.of("atSec", "latency", "capacity", "errorRate"));
    json.require("atSec");
    return readChange(json, json.number("atSec", 0, 0, 31_536_000));
  }

  /** A change applied now (admin API): the same fields as a phase, without {@code atSec}. */
  public static PhaseConfig readChange(StrictJson json) {
    json.allowOnly(Set.of("latency", "capacity", "errorRate"));
    return readChange(json, 0);
  }

  private static PhaseConfig readChange(StrictJson json, double at) {
    LatencySpec latency = json.has("latency") ? LatencySpec.read(json.object("latency")) : null;
    Integer capacity = json.has("capacity") ? json.integer("capacity", 0, 0, 1_000_000) : null;
    Double errorRate = json.has("errorRate") ? json.number("errorRate", 0, 0, 1) : null;
    if (latency == null && capacity == null && errorRate == null) {
      throw new ConfigException(json.key("latency"), "a phase must change latency, capacity or errorRate");
    }
    return new PhaseConfig(at, latency, capacity, errorRate);
  }
}
