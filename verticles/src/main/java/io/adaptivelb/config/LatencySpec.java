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

  /** The expected service time, used to compute the best possible throughput of a capacity-bound lab. */
  public double meanMs() {
    return switch (dist) {
      case CONSTANT, NORMAL, EXPONENTIAL, UNIFORM -> ms;
      case LOGNORMAL -> ms * Math.exp(sigma * sigma / 2);
    };
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
