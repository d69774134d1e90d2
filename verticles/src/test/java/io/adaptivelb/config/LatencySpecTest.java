package io.adaptivelb.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The mean and spread of each latency distribution as the config reads it (defaults included). */
class LatencySpecTest {

  private static double mean(String json) {
    return LatencySpec.read(StrictJson.root(new JsonObject(json))).meanMs();
  }

  @Test
  void lognormalMeanIsMedianTimesExpHalfSigmaSquared() {
    // 10 * exp(0.25^2 / 2) = 10 * exp(0.03125) = 10.3174...
    assertEquals(10.317434, mean("{\"dist\":\"lognormal\",\"ms\":10,\"sigma\":0.25}"), 1e-6);
    assertEquals(10.317434, mean("{\"dist\":\"lognormal\",\"ms\":10}"), 1e-6); // sigma's default is 0.25
    assertEquals(50, mean("{\"dist\":\"lognormal\",\"ms\":50,\"sigma\":0}"), 1e-12);
  }

  @Test
  void theSimpleDistributions() {
    assertEquals(7, mean("{\"dist\":\"constant\",\"ms\":7}"));
    assertEquals(15, mean("{\"dist\":\"uniform\",\"minMs\":10,\"maxMs\":20}"));
    assertEquals(30, mean("{\"dist\":\"exponential\",\"ms\":30}"));
    assertEquals(0, LatencySpec.ZERO.meanMs()); // a backend without latency answers at once
  }

  @Test
  void aNormalClampedAtZeroHasAMeanAboveItsMu() {
    // Far from 0 the clamp does not matter.
    assertEquals(100, mean("{\"dist\":\"normal\",\"ms\":100,\"stddevMs\":10}"), 1e-6);
    // mu = 0: E[max(0, X)] = s / sqrt(2 pi).
    assertEquals(10 / Math.sqrt(2 * Math.PI), mean("{\"dist\":\"normal\",\"ms\":0,\"stddevMs\":10}"), 1e-6);
    assertEquals(5, mean("{\"dist\":\"normal\",\"ms\":5,\"stddevMs\":0}"));
  }

  @Test
  void normalCdfKnownValues() {
    assertEquals(0.5, LatencySpec.normalCdf(0), 1e-7);
    assertEquals(0.8413447, LatencySpec.normalCdf(1), 1e-6);
    assertEquals(0.0227501, LatencySpec.normalCdf(-2), 1e-6);
  }

  @Test
  void theSpreadIsVarianceOverMeanSquared() {
    assertEquals(0, scv("{\"dist\":\"constant\",\"ms\":7}"));
    assertEquals(1, scv("{\"dist\":\"exponential\",\"ms\":30}"));
    // uniform 10..20: variance 100 / 12 over mean 15 squared
    assertEquals(100.0 / 12 / 225, scv("{\"dist\":\"uniform\",\"minMs\":10,\"maxMs\":20}"), 1e-12);
    assertEquals(Math.exp(0.25) - 1, scv("{\"dist\":\"lognormal\",\"ms\":10,\"sigma\":0.5}"), 1e-12);
    assertEquals(0.01, scv("{\"dist\":\"normal\",\"ms\":100,\"stddevMs\":10}"), 1e-6);
    assertEquals(0, LatencySpec.ZERO.scv()); // no service time, nothing to queue behind
  }

  private static double scv(String json) {
    return LatencySpec.read(StrictJson.root(new JsonObject(json))).scv();
  }
}
