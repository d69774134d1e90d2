package io.adaptivelb.config;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Passive outlier ejection (on by default, Envoy-like defaults) and active checks (off unless
 * {@code active.path} is set).
 */
public record HealthConfig(Passive passive, Active active) {

  /** Outlier ejection from live traffic; {@code consecutiveFailures} 0 turns it off. */
  public record Passive(int consecutiveFailures, long baseEjectionMs, long maxEjectionMs, int maxEjectedPercent,
                        long slowStartMs) {
  }

  /** Active checks: GET {@code path} every {@code intervalMs}; down after {@code fall} failures, up after {@code rise} successes. */
  public record Active(String path, int intervalMs, int timeoutMs, int rise, int fall) {
    public boolean enabled() {
      return path != null;
    }
  }

  /** As a config writes it, every value spelt out. */
  public JsonObject toJson() {
    JsonObject activeJson = new JsonObject();
    if (active.path != null) {
      activeJson.put("path", active.path);
    }
    activeJson.put("intervalMs", active.intervalMs).put("timeoutMs", active.timeoutMs).put("rise", active.rise)
      .put("fall", active.fall);
    return new JsonObject()
      .put("passive", new JsonObject().put("consecutiveFailures", passive.consecutiveFailures)
        .put("baseEjectionMs", passive.baseEjectionMs).put("maxEjectionMs", passive.maxEjectionMs)
        .put("maxEjectedPercent", passive.maxEjectedPercent).put("slowStartMs", passive.slowStartMs))
      .put("active", activeJson);
  }

  static HealthConfig read(StrictJson json) {
    json.allowOnly(Set.of("passive", "active"));
    StrictJson p = json.object("passive")
      .allowOnly(Set.of("consecutiveFailures", "baseEjectionMs", "maxEjectionMs", "maxEjectedPercent", "slowStartMs"));
    long base = p.integer("baseEjectionMs", 30_000, 1, 86_400_000);
    long max = p.integer("maxEjectionMs", 300_000, 1, 86_400_000);
    if (max < base) {
      throw new ConfigException(p.key("maxEjectionMs"), "must not be below baseEjectionMs (" + base + ")");
    }
    Passive passive = new Passive(
      p.integer("consecutiveFailures", 5, 0, 1_000_000), base, max,
      p.integer("maxEjectedPercent", 50, 0, 100),
      p.integer("slowStartMs", 5_000, 0, 86_400_000));
    StrictJson a = json.object("active").allowOnly(Set.of("path", "intervalMs", "timeoutMs", "rise", "fall"));
    String path = a.string("path", null);
    if (path != null && !path.startsWith("/")) {
      throw new ConfigException(a.key("path"), "must start with '/'");
    }
    Active active = new Active(path, a.integer("intervalMs", 2_000, 10, 3_600_000), a.integer("timeoutMs", 1_000, 1, 600_000),
      a.integer("rise", 2, 1, 1000), a.integer("fall", 3, 1, 1000));
    return new HealthConfig(passive, active);
  }
}
