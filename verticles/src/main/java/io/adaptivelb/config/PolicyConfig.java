package io.adaptivelb.config;

import java.util.Map;
import java.util.Set;

/**
 * The routing policy and its parameters. Each type accepts only its own keys, so a parameter given
 * to the wrong policy (an {@code alpha} for sma) is refused instead of silently ignored.
 */
public record PolicyConfig(String type, int window, double alpha, int warmupProbes, String warmupPath,
                           double failurePenaltyMs) {

  public static final String ROUND_ROBIN = "round-robin";
  public static final String SMA = "sma";
  public static final String EWMA = "ewma";

  private static final Set<String> COMMON = Set.of("type", "failurePenaltyMs");
  private static final Map<String, Set<String>> KEYS = Map.of(
    ROUND_ROBIN, Set.of("type"),
    SMA, union(COMMON, Set.of("window")),
    EWMA, union(COMMON, Set.of("alpha", "warmupProbes", "warmupPath")));

  public static PolicyConfig defaults(String type) {
    return new PolicyConfig(type, 3, 0.3, 3, "/", 1000);
  }

  public static PolicyConfig read(StrictJson json) {
    String type = json.oneOf("type", SMA, KEYS.keySet());
    json.allowOnly(KEYS.get(type));
    PolicyConfig d = defaults(type);
    String path = json.string("warmupPath", d.warmupPath);
    if (!path.startsWith("/")) {
      throw new ConfigException(json.key("warmupPath"), "must start with '/'");
    }
    return new PolicyConfig(type,
      json.integer("window", d.window, 1, 10_000),
      json.number("alpha", d.alpha, Double.MIN_VALUE, 1),
      json.integer("warmupProbes", d.warmupProbes, 0, 1000),
      path,
      json.number("failurePenaltyMs", d.failurePenaltyMs, 0, 3_600_000));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.HashSet<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
