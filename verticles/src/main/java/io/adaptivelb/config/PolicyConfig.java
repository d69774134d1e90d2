package io.adaptivelb.config;

import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The routing policy and its parameters. Each type accepts only its own keys, so a parameter given
 * to the wrong policy (an {@code alpha} for sma) is refused instead of silently ignored.
 *
 * @param explore       sma, ewma: probability of a random pick (off: 0)
 * @param forgetAfterMs sma, ewma: drop a backend's history when its newest sample is this old (off: 0)
 * @param tryUnsampled  sma: a backend short of samples scores 0 instead of infinity (off: false)
 * @param tauMs         p2c-peak-ewma, least-latency: decay time constant of an estimate not refreshed
 * @param defaultRttMs  p2c-peak-ewma, least-latency: cost of a backend with no history
 * @param sampling      p2c-peak-ewma: how the two candidates are drawn, {@code uniform} (Finagle's and
 *                      Linkerd's) or {@code weighted} (in proportion to 1 / latency estimate)
 */
public record PolicyConfig(String type, int window, double alpha, int warmupProbes, String warmupPath,
                           double failurePenaltyMs, double explore, double forgetAfterMs, boolean tryUnsampled,
                           double tauMs, double defaultRttMs, String sampling) {

  public static final String ROUND_ROBIN = "round-robin";
  public static final String SMA = "sma";
  public static final String EWMA = "ewma";
  public static final String LEAST_REQUEST = "least-request";
  public static final String P2C_PEAK_EWMA = "p2c-peak-ewma";
  public static final String LEAST_LATENCY = "least-latency";
  /** The policy of the bundled lab and of any config that runs simulated backends (the proposal's). */
  public static final String LAB_DEFAULT = SMA;
  /** The policy a proxy in front of real servers (no {@code backends} role) gets when it names none. */
  public static final String RECOMMENDED = LEAST_LATENCY;
  public static final String UNIFORM = "uniform";
  public static final String WEIGHTED = "weighted";

  private static final Map<String, Set<String>> KEYS = Map.of(
    ROUND_ROBIN, Set.of("type"),
    SMA, Set.of("type", "failurePenaltyMs", "window", "explore", "forgetAfterMs", "tryUnsampled"),
    EWMA, Set.of("type", "failurePenaltyMs", "alpha", "warmupProbes", "warmupPath", "explore", "forgetAfterMs"),
    LEAST_REQUEST, Set.of("type"),
    P2C_PEAK_EWMA, Set.of("type", "failurePenaltyMs", "tauMs", "defaultRttMs", "sampling"),
    LEAST_LATENCY, Set.of("type", "failurePenaltyMs", "alpha", "tauMs", "defaultRttMs"));

  public static PolicyConfig defaults(String type) {
    // least-latency learns per band, and a band not used goes stale; a short tau retries it soon.
    double tau = LEAST_LATENCY.equals(type) ? 2_000 : 10_000;
    return new PolicyConfig(type, 3, 0.3, 3, "/", 1000, 0, 0, false, tau, 30, UNIFORM);
  }

  public static Set<String> types() {
    return KEYS.keySet();
  }

  public static PolicyConfig read(StrictJson json) {
    return read(json, LAB_DEFAULT);
  }

  /** @param fallbackType the type when the config names none */
  public static PolicyConfig read(StrictJson json, String fallbackType) {
    String type = json.variant("type", fallbackType, KEYS.keySet());
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
      json.number("failurePenaltyMs", d.failurePenaltyMs, 0, 3_600_000),
      json.number("explore", d.explore, 0, 1),
      json.number("forgetAfterMs", d.forgetAfterMs, 0, 86_400_000),
      json.bool("tryUnsampled", d.tryUnsampled),
      json.number("tauMs", d.tauMs, 1, 86_400_000),
      json.number("defaultRttMs", d.defaultRttMs, 0, 3_600_000),
      json.oneOf("sampling", d.sampling, Set.of(UNIFORM, WEIGHTED)));
  }

  /** The parameters that apply to this type, as written in a config. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type);
    Set<String> keys = new HashSet<>(KEYS.get(type));
    putIf(json, keys, "window", window);
    putIf(json, keys, "alpha", alpha);
    putIf(json, keys, "warmupProbes", warmupProbes);
    putIf(json, keys, "warmupPath", warmupPath);
    putIf(json, keys, "failurePenaltyMs", failurePenaltyMs);
    putIf(json, keys, "explore", explore);
    putIf(json, keys, "forgetAfterMs", forgetAfterMs);
    putIf(json, keys, "tryUnsampled", tryUnsampled);
    putIf(json, keys, "tauMs", tauMs);
    putIf(json, keys, "defaultRttMs", defaultRttMs);
    putIf(json, keys, "sampling", sampling);
    return json;
  }

  private static void putIf(JsonObject json, Set<String> keys, String key, Object value) {
    if (keys.contains(key)) {
      json.put(key, value);
    }
  }
}
