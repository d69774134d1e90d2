package io.adaptivelb.backend;

import io.adaptivelb.config.LatencySpec;
import io.adaptivelb.config.StrictJson;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each latency distribution's draws (seeded, so the test is repeatable): their mean is the config's
 * {@link LatencySpec#meanMs()}, which the report's optimum relies on, and their spread is the shape's.
 */
class LatencyDistributionTest {

  private static final int DRAWS = 200_000;

  private record Moments(double mean, double stddev, double min) {
  }

  private static LatencySpec spec(String json) {
    return LatencySpec.read(StrictJson.root(new JsonObject(json)));
  }

  private static Moments draw(LatencySpec spec) {
    LatencyDistribution d = LatencyDistribution.of(spec);
    SplittableRandom random = new SplittableRandom(42);
    double sum = 0;
    double sumSq = 0;
    double min = Double.MAX_VALUE;
    for (int i = 0; i < DRAWS; i++) {
      double x = d.sampleMs(random);
      sum += x;
      sumSq += x * x;
      min = Math.min(min, x);
    }
    double mean = sum / DRAWS;
    return new Moments(mean, Math.sqrt(Math.max(0, sumSq / DRAWS - mean * mean)), min);
  }

  /** Within {@code share} of the expected value. */
  private static void near(double expected, double actual, double share, String what) {
    assertEquals(expected, actual, Math.abs(expected) * share, what);
  }

  @Test
  void constant() {
    Moments m = draw(spec("{\"dist\": \"constant\", \"ms\": 7}"));
    assertEquals(7, m.mean(), 1e-9);
    assertEquals(0, m.stddev(), 1e-6);
  }

  @Test
  void uniform() {
    LatencySpec s = spec("{\"dist\": \"uniform\", \"minMs\": 10, \"maxMs\": 30}");
    Moments m = draw(s);
    near(s.meanMs(), m.mean(), 0.01, "mean");
    near(20 / Math.sqrt(12), m.stddev(), 0.03, "stddev");
    assertTrue(m.min() >= 10, "never below minMs");
  }

  @Test
  void normalFarFromZero() {
    LatencySpec s = spec("{\"dist\": \"normal\", \"ms\": 100, \"stddevMs\": 10}");
    Moments m = draw(s);
    near(s.meanMs(), m.mean(), 0.01, "mean");
    near(10, m.stddev(), 0.03, "stddev");
  }

  @Test
  void normalNearZeroIsClampedAndItsMeanIsTheClampedOne() {
    LatencySpec s = spec("{\"dist\": \"normal\", \"ms\": 5, \"stddevMs\": 10}");
    Moments m = draw(s);
    assertEquals(0, m.min(), "clamped at 0, never negative");
    assertTrue(s.meanMs() > 5, "the clamp raises the mean above mu");
    near(s.meanMs(), m.mean(), 0.01, "mean");
  }

  @Test
  void lognormal() {
    LatencySpec s = spec("{\"dist\": \"lognormal\", \"ms\": 20, \"sigma\": 0.5}");
    Moments m = draw(s);
    near(s.meanMs(), m.mean(), 0.01, "mean");
    near(s.meanMs() * Math.sqrt(Math.exp(0.25) - 1), m.stddev(), 0.03, "stddev");
  }

  @Test
  void lognormalWithTheDefaultSigma() {
    LatencySpec s = spec("{\"dist\": \"lognormal\", \"ms\": 20}");
    Moments m = draw(s);
    near(s.meanMs(), m.mean(), 0.01, "mean");
    near(s.meanMs() * Math.sqrt(Math.exp(0.25 * 0.25) - 1), m.stddev(), 0.03, "stddev");
  }

  @Test
  void exponential() {
    LatencySpec s = spec("{\"dist\": \"exponential\", \"ms\": 30}");
    Moments m = draw(s);
    near(30, m.mean(), 0.01, "mean");
    near(30, m.stddev(), 0.03, "stddev: an exponential's equals its mean");
    assertTrue(m.min() >= 0);
  }
}
