package io.adaptivelb.config;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * How long a simulated backend takes to answer, as a distribution in milliseconds.
 * {@code ms} is the central value of every shape: the constant, the mean (normal, exponential)
 * or the median (lognormal); uniform uses {@code minMs} and {@code maxMs}.
 */
public record LatencySpec(Dist dist, double ms, double minMs, double maxMs, double stddevMs, double sigma) {

  public enum Dist {
    CONSTANT("constant"), UNIFORM("uniform"), NORMAL("normal"), LOGNORMAL("lognormal"), EXPONENTIAL("exponential");

    public final String id;

    Dist(String id) {
      this.id = id;
    }

    static Dist of(String id) {
      for (Dist d : values()) {
        if (d.id.equals(id)) {
          return d;
        }
      }
      throw new IllegalArgumentException(id);
    }
  }

  private static final double MAX_MS = 3_600_000;
  private static final Map<Dist, Set<String>> KEYS = Map.of(
    Dist.CONSTANT, Set.of("dist", "ms"),
    Dist.UNIFORM, Set.of("dist", "minMs", "maxMs"),
    Dist.NORMAL, Set.of("dist", "ms", "stddevMs"),
    Dist.LOGNORMAL, Set.of("dist", "ms", "sigma"),
    Dist.EXPONENTIAL, Set.of("dist", "ms"));

  public static final LatencySpec ZERO = constant(0);

  public static LatencySpec constant(double ms) {
    return new LatencySpec(Dist.CONSTANT, ms, 0, 0, 0, 0);
  }

  public static LatencySpec read(StrictJson json) {
    Set<String> ids = Set.of("constant", "uniform", "normal", "lognormal", "exponential");
    Dist dist = Dist.of(json.variant("dist", "constant", ids));
    json.allowOnly(KEYS.get(dist));
    return switch (dist) {
      case CONSTANT, EXPONENTIAL -> new LatencySpec(dist, json.number("ms", 0, 0, MAX_MS), 0, 0, 0, 0);
      case NORMAL -> new LatencySpec(dist, json.number("ms", 0, 0, MAX_MS), 0, 0, json.number("stddevMs", 0, 0, MAX_MS), 0);
      case LOGNORMAL -> new LatencySpec(dist, json.number("ms", 0, 0, MAX_MS), 0, 0, 0, json.number("sigma", 0.25, 0, 10));
      case UNIFORM -> {
        double min = json.number("minMs", 0, 0, MAX_MS);
        double max = json.number("maxMs", min, 0, MAX_MS);
        if (max < min) {
          throw new ConfigException(json.key("maxMs"), "must not be below minMs (" + min + ")");
        }
        yield new LatencySpec(dist, (min + max) / 2, min, max, 0, 0);
      }
    };
  }

  /**
   * The expected service time of the simulated backend's draws (the report's optimum divides by it).
   * Exact for the lab's sampling: a normal is clamped at 0 there, not re-drawn, so its mean is the
   * clamped normal's; a lognormal's {@code ms} is its median, below its mean.
   */
  public double meanMs() {
    return switch (dist) {
      case CONSTANT, EXPONENTIAL, UNIFORM -> ms;
      case NORMAL -> clampedNormalMean(ms, stddevMs);
      case LOGNORMAL -> ms * Math.exp(sigma * sigma / 2);
    };
  }

  /**
   * Squared coefficient of variation (variance / mean^2) of the same draws, for the waiting time of a
   * queue in front of the backend. The normal's clamp at 0 is ignored (it matters only when the stddev is
   * near the mean).
   */
  public double scv() {
    double mean = meanMs();
    if (mean <= 0) {
      return 0;
    }
    return switch (dist) {
      case CONSTANT -> 0;
      case UNIFORM -> (maxMs - minMs) * (maxMs - minMs) / 12 / (mean * mean);
      case EXPONENTIAL -> 1;
      case LOGNORMAL -> Math.exp(sigma * sigma) - 1;
      case NORMAL -> (stddevMs / mean) * (stddevMs / mean);
    };
  }

  /** E[max(0, X)] for X ~ N(mu, s^2): mu * Phi(mu/s) + s * phi(mu/s). */
  private static double clampedNormalMean(double mu, double s) {
    if (s <= 0) {
      return Math.max(0, mu);
    }
    double z = mu / s;
    double pdf = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    return mu * normalCdf(z) + s * pdf;
  }

  /** Standard normal CDF through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7: plenty here). */
  static double normalCdf(double z) {
    double x = Math.abs(z) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * x);
    double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
      * Math.exp(-x * x);
    return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("dist", dist.id);
    switch (dist) {
      case CONSTANT, EXPONENTIAL -> json.put("ms", ms);
      case NORMAL -> json.put("ms", ms).put("stddevMs", stddevMs);
      case LOGNORMAL -> json.put("ms", ms).put("sigma", sigma);
      case UNIFORM -> json.put("minMs", minMs).put("maxMs", maxMs);
    }
    return json;
  }
}
