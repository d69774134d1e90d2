package io.adaptivelb.report;

import io.vertx.core.json.JsonObject;

/**
 * Mean of a simulated backend's latency distribution (the lab's {@code latency} objects), in ms: the
 * service time the optimum divides by. It follows the lab's sampling exactly, e.g. a normal is clamped
 * at 0 there (not re-drawn), so its mean is the clamped normal's.
 */
public final class ServiceTime {

  private ServiceTime() {
  }

  public static double meanMs(JsonObject latency) {
    if (latency == null) {
      return 0; // the lab's default latency is constant 0
    }
    String dist = latency.getString("dist", "constant");
    return switch (dist) {
      case "constant" -> latency.getDouble("ms", 0.0);
      case "uniform" -> (latency.getDouble("minMs", 0.0) + latency.getDouble("maxMs", 0.0)) / 2;
      case "exponential" -> latency.getDouble("ms", 0.0);
      // ms is the median; the mean of a lognormal is median * exp(sigma^2 / 2), above the median.
      case "lognormal" -> latency.getDouble("ms", 0.0) * Math.exp(Math.pow(latency.getDouble("sigma", 0.0), 2) / 2);
      case "normal" -> clampedNormalMean(latency.getDouble("ms", 0.0), latency.getDouble("stddevMs", 0.0));
      default -> throw new IllegalArgumentException("unknown latency dist: " + dist);
    };
  }

  /**
   * Squared coefficient of variation (variance / mean^2) of the same distribution, for the waiting
   * time of a queue in front of it. The normal's clamp at 0 is ignored (it matters only when the
   * stddev is near the mean).
   */
  public static double scv(JsonObject latency) {
    double mean = meanMs(latency);
    if (latency == null || mean <= 0) {
      return 0;
    }
    String dist = latency.getString("dist", "constant");
    return switch (dist) {
      case "constant" -> 0;
      case "uniform" -> Math.pow(latency.getDouble("maxMs", 0.0) - latency.getDouble("minMs", 0.0), 2) / 12 / (mean * mean);
      case "exponential" -> 1;
      case "lognormal" -> Math.exp(Math.pow(latency.getDouble("sigma", 0.0), 2)) - 1;
      case "normal" -> Math.pow(latency.getDouble("stddevMs", 0.0) / mean, 2);
      default -> throw new IllegalArgumentException("unknown latency dist: " + dist);
    };
  }

  /** E[max(0, X)] for X ~ N(mu, s^2): mu * Phi(mu/s) + s * phi(mu/s). */
  static double clampedNormalMean(double mu, double s) {
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
}
