package io.adaptivelb.sim;

import io.adaptivelb.config.ConfigException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options {@code --key value} (repeatable ones collected in order); unknown keys are refused. */
final class Args {

  private final Map<String, List<String>> values = new HashMap<>();

  Args(String[] args, int from, Set<String> known) {
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new ConfigException(a, "expected an option --KEY VALUE");
      }
      String key = a.substring(2);
      if (!known.contains(key)) {
        throw new ConfigException(a, "unknown option (expected one of --" + String.join(", --", new java.util.TreeSet<>(known)) + ")");
      }
      if (i + 1 >= args.length) {
        throw new ConfigException(a, "needs a value");
      }
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(args[++i]);
    }
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  String string(String key, String fallback) {
    List<String> v = values.get(key);
    return v == null ? fallback : v.get(v.size() - 1);
  }

  List<String> all(String key) {
    return values.getOrDefault(key, List.of());
  }

  double number(String key, double fallback) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ConfigException("--" + key, "must be a number, got \"" + v + "\"");
    }
  }

  long integer(String key, long fallback) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigException("--" + key, "must be a whole number, got \"" + v + "\"");
    }
  }
}
