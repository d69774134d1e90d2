package io.adaptivelb.config;

import io.adaptivelb.common.Clock;
import io.adaptivelb.policy.Param;
import io.adaptivelb.policy.PolicyCatalog;
import io.adaptivelb.policy.PolicySettings;
import io.adaptivelb.policy.PolicyType;
import io.adaptivelb.policy.RoutingPolicy;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code proxy.policy}: a policy from the {@link PolicyCatalog} and its parameters. Each type accepts
 * only the keys it declares, so a parameter given to the wrong policy (an {@code alpha} for sma) is
 * refused instead of silently ignored.
 */
public record PolicyConfig(PolicySettings settings) {

  /** The policy of the bundled lab and of any config that runs simulated backends (the proposal's). */
  public static final String LAB_DEFAULT = "sma";
  /** The policy a proxy in front of real servers (no {@code backends} role) gets when it names none. */
  public static final String RECOMMENDED = "least-latency";

  /** The policy's name as written in the config. */
  public String type() {
    return settings.type().name();
  }

  public <T> T get(Param<T> param) {
    return settings.get(param);
  }

  public RoutingPolicy create(int size, Clock clock, RandomGenerator random) {
    return settings.build(size, clock, random);
  }

  public static PolicyConfig defaults(String type) {
    return new PolicyConfig(typeNamed(type).defaults());
  }

  public static PolicyConfig read(StrictJson json) {
    return read(json, LAB_DEFAULT);
  }

  /** @param fallbackType the type when the config names none */
  public static PolicyConfig read(StrictJson json, String fallbackType) {
    Set<String> names = new HashSet<>(PolicyCatalog.names());
    PolicyType type = typeNamed(json.variant("type", fallbackType, names));
    Set<String> keys = new HashSet<>();
    keys.add("type");
    type.params().forEach(p -> keys.add(p.key()));
    json.allowOnly(keys);
    Map<String, Object> values = new LinkedHashMap<>();
    for (Param<?> p : type.params()) {
      Object value = json.param(p);
      if (value != null) {
        values.put(p.key(), value);
      }
    }
    return new PolicyConfig(PolicySettings.of(type, values));
  }

  /** Every parameter of this type with its value, as written in a config. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type());
    settings.values().forEach(json::put);
    return json;
  }

  private static PolicyType typeNamed(String name) {
    return PolicyCatalog.find(name).orElseThrow(() -> new ConfigException("policy.type",
      "unknown value \"" + name + "\" (expected one of " + String.join(", ", PolicyCatalog.names()) + ")"));
  }
}
