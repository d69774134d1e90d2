package io.adaptivelb.policy;

import java.util.List;
import java.util.Objects;

/**
 * One parameter of a policy: its key in the config, its type, its default, what values it accepts and
 * what it means, in one line. Config validation, {@code GET /admin/policies}, the dashboard's form and
 * the docs are all made from these fields, so a parameter is described nowhere else.
 *
 * @param min      smallest accepted value ({@link Kind#INTEGER}, {@link Kind#NUMBER})
 * @param aboveMin the minimum itself is refused: the range is {@code (min, max]}
 * @param choices  the accepted values of a {@link Kind#CHOICE}, empty otherwise
 */
public record Param<T>(String key, Kind kind, T defaultValue, double min, boolean aboveMin, double max,
                       List<String> choices, String meaning) {

  /** The value types a parameter can have; each maps to one JSON type. */
  public enum Kind {
    /** A whole number in a range. */
    INTEGER,
    /** A finite number in a range. */
    NUMBER,
    /** true or false. */
    FLAG,
    /** One of a fixed set of strings. */
    CHOICE,
    /** A URL path, starting with {@code /}. */
    PATH;

    /** The name used in JSON and the docs: {@code integer}, {@code number}, ... */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Param {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(defaultValue, "defaultValue of " + key);
    Objects.requireNonNull(meaning, "meaning of " + key);
    choices = List.copyOf(choices);
  }

  public static Param<Integer> integer(String key, int defaultValue, int min, int max, String meaning) {
    return new Param<>(key, Kind.INTEGER, defaultValue, min, false, max, List.of(), meaning);
  }

  public static Param<Double> number(String key, double defaultValue, double min, double max, String meaning) {
    return new Param<>(key, Kind.NUMBER, defaultValue, min, false, max, List.of(), meaning);
  }

  /** A number strictly above {@code min}: a weight or a time constant that may not be zero. */
  public static Param<Double> numberAbove(String key, double defaultValue, double min, double max, String meaning) {
    return new Param<>(key, Kind.NUMBER, defaultValue, min, true, max, List.of(), meaning);
  }

  public static Param<Boolean> flag(String key, boolean defaultValue, String meaning) {
    return new Param<>(key, Kind.FLAG, defaultValue, 0, false, 0, List.of(), meaning);
  }

  public static Param<String> choice(String key, String defaultValue, List<String> choices, String meaning) {
    if (!choices.contains(defaultValue)) {
      throw new IllegalArgumentException(key + ": default \"" + defaultValue + "\" is not one of " + choices);
    }
    return new Param<>(key, Kind.CHOICE, defaultValue, 0, false, 0, choices, meaning);
  }

  public static Param<String> path(String key, String defaultValue, String meaning) {
    return new Param<>(key, Kind.PATH, defaultValue, 0, false, 0, List.of(), meaning);
  }

  /** The same parameter with another default: one meaning and range, a different starting point per policy. */
  public Param<T> withDefault(T newDefault) {
    return new Param<>(key, kind, newDefault, min, aboveMin, max, choices, meaning);
  }

  /**
   * Why {@code value} is not acceptable (to be prefixed with the key), or null when it is. The value
   * must already have this parameter's Java type; {@link #cast(Object)} checks that.
   */
  public String problem(Object value) {
    switch (kind) {
      case INTEGER, NUMBER -> {
        double d = ((Number) value).doubleValue();
        if (d < min || d > max || (aboveMin && d == min)) {
          return "must be " + (aboveMin ? "above " + Format.number(min) + " and at most " : "between " + Format.number(min) + " and ")
            + Format.number(max) + ", got " + Format.number(d);
        }
      }
      case CHOICE -> {
        if (!choices.contains(value)) {
          return "unknown value \"" + value + "\" (expected one of " + String.join(", ", choices) + ")";
        }
      }
      case PATH -> {
        if (!((String) value).startsWith("/")) {
          return "must start with '/'";
        }
      }
      case FLAG -> {
        // any boolean is fine
      }
    }
    return null;
  }

  /** The accepted values, as the docs and the dashboard show them: {@code 1 – 10000}, {@code (0, 1]}, ... */
  public String range() {
    return switch (kind) {
      case INTEGER, NUMBER -> aboveMin
        ? "(" + Format.number(min) + ", " + Format.number(max) + "]"
        : Format.number(min) + " – " + Format.number(max);
      case FLAG -> "true, false";
      case CHOICE -> String.join(", ", choices);
      case PATH -> "a path starting with /";
    };
  }

  @SuppressWarnings("unchecked")
  T cast(Object value) {
    return (T) value;
  }
}
