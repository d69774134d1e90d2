package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One policy with a value for each of its parameters (the default where none was given), every value
 * checked against its {@link Param}. Equal settings build equal policies.
 */
public final class PolicySettings {

  private final PolicyType type;
  private final Map<String, Object> values;

  private PolicySettings(PolicyType type, Map<String, Object> values) {
    this.type = type;
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * {@code given} maps keys to values of the parameter's Java type (Integer, Double, Boolean, String);
   * missing keys take the default.
   *
   * @throws IllegalArgumentException naming the key of an unknown parameter, a value of the wrong type
   *                                  or out of range
   */
  public static PolicySettings of(PolicyType type, Map<String, ?> given) {
    for (String key : given.keySet()) {
      if (type.param(key) == null) {
        throw new IllegalArgumentException(key + ": not a parameter of " + type.name());
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Param<?> p : type.params()) {
      Object value = coerce(p, given.containsKey(p.key()) ? given.get(p.key()) : p.defaultValue());
      if (!p.defaultValue().getClass().isInstance(value)) {
        throw new IllegalArgumentException(p.key() + ": must be a " + p.kind().id() + ", got " + value);
      }
      String problem = p.problem(value);
      if (problem != null) {
        throw new IllegalArgumentException(p.key() + ": " + problem);
      }
      values.put(p.key(), value);
    }
    return new PolicySettings(type, values);
  }

  /** 1000 for a number parameter is 1000.0; 3.0 for an integer parameter is 3. */
  private static Object coerce(Param<?> p, Object value) {
    if (value instanceof Number n) {
      if (p.kind() == Param.Kind.NUMBER) {
        return n.doubleValue();
      }
      if (p.kind() == Param.Kind.INTEGER && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
        return n.intValue();
      }
    }
    return value;
  }

  public PolicyType type() {
    return type;
  }

  /** The value of one of this policy's parameters. */
  public <T> T get(Param<T> param) {
    if (!values.containsKey(param.key())) {
      throw new IllegalArgumentException(param.key() + ": not a parameter of " + type.name());
    }
    return param.cast(values.get(param.key()));
  }

  /** Every parameter's key and value, in the order the policy declares them. */
  public Map<String, Object> values() {
    return values;
  }

  /** A fresh policy for {@code size} backend slots. */
  public RoutingPolicy build(int size, Clock clock, RandomGenerator random) {
    return type.build(this, size, clock, random);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicySettings s && s.type == type && s.values.equals(values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type.name(), values);
  }

  @Override
  public String toString() {
    return type.name() + values;
  }
}
